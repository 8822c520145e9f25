# Asistencia, análisis de audiencia y certificados (issue 13).
att-title = Asistencia
att-analytics = Análisis de audiencia
att-upload = Importar un informe de Zoom
att-file = Archivo del informe (CSV tal como lo da Zoom)
att-tz = Zona horaria de las horas del informe
att-upload-hint = El informe de participantes de la reunión o el de asistentes del seminario web, tal como se descarga de Zoom (CSV o «texto Unicode» de Excel). Las horas se leen en la zona indicada. El informe más reciente reemplaza la asistencia de la sesión; importar otra vez el mismo archivo no cambia nada.
att-import = Importar
att-imports = Importaciones
att-no-imports = Aún no se importó ningún informe.
att-when = Cuándo
att-kind = Informe
att-kind-participants = Participantes de la reunión
att-kind-webinar_attendees = Asistentes del seminario web
att-rows = Filas
att-people = Personas
att-added = Añadidas
att-changed = Cambiadas
att-removed = Quitadas
att-problems = No se importó nada. Problemas encontrados:
att-tz-required = Indique la zona horaria de las horas del informe (un nombre IANA como America/Montevideo).
att-unchanged = { $count ->
    [0] Ya importado: 0 personas, nada cambió.
    [one] Ya importado: 1 persona, nada cambió.
   *[other] Ya importado: { $count } personas, nada cambió.
}
att-people-count = { $count ->
    [0] 0 personas
    [one] 1 persona
   *[other] { $count } personas
}
att-imported = Importado: { $people } ({ $attended } asistieron; { $added } añadidas, { $changed } cambiadas, { $removed } quitadas; { $email } por correo, { $name } por nombre, { $guests } invitados).
att-conflict = Otra persona cambió estas cifras desde que abrió el formulario. Abra la página de nuevo y repita su cambio.
att-facebook = Cifras de Facebook Live
att-facebook-hint = Facebook no muestra personas: copie los totales que sus estadísticas muestran para el video, con el día en que los leyó y dónde.
att-facebook-save = Guardar las cifras
att-facebook-saved = Se guardaron las cifras de Facebook.
att-facebook-number = Las cifras de Facebook deben ser números enteros.
att-fb-peak-live = Máximo de espectadores en vivo
att-fb-total-views = Reproducciones totales
att-fb-unique-viewers = Espectadores únicos
att-fb-minutes-viewed = Minutos reproducidos
att-fb-read-on = Fecha de lectura
att-fb-source = Fuente
att-fb-err-out-of-range = fuera de rango
att-fb-err-required = obligatorio
att-fb-err-above-unique-viewers = no puede superar a los espectadores únicos
att-fb-err-invalid-date = no es una fecha (AAAA-MM-DD)
att-fb-err-too-long = demasiado largo
att-history = Historial
att-field = Campo
att-before = Antes
att-after = Después
att-people-title = Personas del informe
att-match = Identificada como
att-registrant = inscrita
att-guest = invitada
att-minutes = Minutos
att-first-join = Primera entrada
att-last-leave = Última salida
att-no-show = no asistió
att-erased = borrada
att-registered = Inscritas
att-confirmed = Confirmadas
att-attended = Asistieron (Zoom)
att-no-shows = Ausentes en el informe
att-guests = Asistentes no inscritos (invitados)
att-confirmed-absent = Confirmadas pero ausentes
att-no-show-rate = Tasa de ausencia (de las confirmadas)
att-minutes-median = Minutos de asistencia, mediana
att-minutes-total = Minutos de asistencia, total
att-reach = Alcance (cota superior)
att-reach-note = El alcance suma las personas únicas de Zoom y los espectadores únicos de Facebook: es una cota superior, porque la misma persona pudo ver por ambos.
att-bin = { $from }–{ $to } min
att-bin-open = { $from } min o más
att-chart-minutes = Minutos de asistencia
att-chart-per-session = Asistencia por sesión
att-chart-sessions-attended = A cuántas sesiones asistió cada persona
att-chart-by-country = Asistentes por país
att-chart-by-role = Asistentes por función
att-session = Sesión
att-sessions-attended = Sesiones a las que asistió
att-country = País
att-role = Función
att-unknown = sin indicar
att-unique-people = Personas únicas
att-returning = Asistentes que repiten (2 sesiones o más)
att-institutions = Instituciones alcanzadas
att-countries = Países alcanzados
att-csv = Descargar en CSV
att-no-data = Aún no hay datos.
aud-title = Audiencia
aud-measured = Asistencia medida
aud-none = No se importó asistencia para esta serie.
aud-small-note = Las cifras menores que 5 se muestran como «menos de 5», para que nadie pueda ser identificado.
aud-reported = Cifras informadas
aud-staff-attended = Personal que asistió a las series de eventos
aud-fewer-than = menos de { $count }
cert-admin-title = Certificados
cert-rule = Regla de los certificados
cert-min-share = Parte mínima de la duración de una sesión (%)
cert-series-sessions = Sesiones para un certificado de la serie (0: ninguno)
cert-rule-save = Guardar la regla
cert-rule-saved = Se guardó la regla.
cert-rule-invalid = La parte debe estar entre 1 y 100 y el número de sesiones entre 0 y 1000.
cert-issue-title = Emitir y enviar
cert-issue-hint = Emite un certificado a cada asistente inscrito que cumple la regla y aún no tiene uno.
cert-issue = Emitir certificados
cert-mail-hint = Envía por correo cada certificado válido aún no enviado, en un solo lote espaciado (como máximo un lote cada diez minutos).
cert-mail = Enviar los certificados por correo
cert-issued = { $count ->
    [0] Se emitieron 0 certificados.
    [one] Se emitió 1 certificado.
   *[other] Se emitieron { $count } certificados.
}
cert-mailed = { $count ->
    [0] 0 certificados en cola de envío.
    [one] 1 certificado en cola de envío.
   *[other] { $count } certificados en cola de envío.
}
cert-no-rule = Defina primero la regla de certificados de la serie.
cert-list = Certificados emitidos
cert-code-col = Código de verificación
cert-status = Estado
cert-series-scope = toda la serie
cert-reason = Motivo
cert-revoke = Revocar
cert-reissue = Volver a emitir
cert-revoked-done = Se revocó el certificado.
cert-reissued-done = Se volvió a emitir el certificado con un código nuevo.
cert-status-refused = Este certificado no puede cambiar así (ya fue revocado o reemplazado).
cert-title = Certificado de asistencia
cert-certifies = Se certifica que
cert-what-session = asistió a la sesión «{ $session }» de la serie «{ $series }»
cert-sessions-count = { $count ->
    [0] 0 sesiones
    [one] 1 sesión
   *[other] { $count } sesiones
}
cert-what-series = asistió a { $sessions } de la serie «{ $series }»
cert-when = Fecha: { $when } · Tiempo de asistencia: { $minutes } minutos
cert-organiser = Organizado por { $organiser }
cert-code = Código de verificación: { $code }
cert-verify-at = Verifíquelo en { $url }
cert-mail-subject = Su certificado de asistencia
cert-mail-body = Hola, { $name }:

    Adjuntamos su certificado: usted { $what }.

    Código de verificación: { $code }
    Cualquiera puede comprobarlo en { $url }

    Si su nombre está mal escrito, corríjalo desde su página personal: el certificado se vuelve a emitir con el nombre correcto.
verify-title = Verificar un certificado
verify-check = Verificar
verify-unknown = Ningún certificado tiene este código.
verify-status-valid = Certificado válido
verify-status-revoked = Este certificado fue revocado
verify-status-replaced = Este certificado fue reemplazado por uno nuevo
verify-erased = (los datos de la persona se borraron a su pedido)
verify-issued-to = Emitido a
verify-for = Por
verify-when = Fecha
verify-organiser = Organizador
verify-issued = Emitido el
verify-replaced-by = Reemplazado por
mine-title = Mis certificados
mine-back = Mis inscripciones
mine-none = Aún no tiene certificados.
mine-download = Descargar (PDF)
mine-rename-hint = ¿Su nombre está mal escrito? Corríjalo en la página de sus inscripciones: sus certificados se vuelven a emitir con el nombre corregido y los códigos anteriores indican que fueron reemplazados.
