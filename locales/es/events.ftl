# Ciclos de eventos, inscripción y correos (issue 12).
events-upcoming = Próximas sesiones
events-none-upcoming = Todavía no hay sesiones programadas.
events-series = Ciclos
events-past = Sesiones realizadas
series-organiser = Organiza
series-hashtag = Etiqueta
series-calendar = Calendario
series-subscribe = Suscribirse al ciclo (.ics)
series-figures = Cifras informadas
series-figure = Cifra
series-value = Valor
series-source = Fuente
series-figures-note = Cifras tal como las da la fuente, no medidas por Faro.
series-presenters = Presentadores
figure-sessions = Sesiones realizadas
figure-people-per-session = Personas por sesión
figure-people-total = Personas en todo el ciclo
figure-institutions = Instituciones y organismos participantes
figure-countries = Países
figure-presenting-organisations = Organizaciones que presentaron
session-when = Cuándo
session-time-unknown = no se conoce la hora
session-your-time = En su zona horaria
session-duration = Duración
session-status = Estado
session-topics = Temas
session-add-calendar = Añadir a mi calendario (.ics)
session-show-in-zone = Mostrar la hora en la zona
session-show = Mostrar
session-cancelled-notice = Esta sesión fue cancelada.
session-status-scheduled = Programada
session-status-rescheduled = Reprogramada
session-status-cancelled = Cancelada
session-status-held = Realizada
session-new = Nueva sesión
session-edit = Editar la sesión
session-join-private = Datos de conexión (solo se envían a las personas inscritas confirmadas; nunca se publican)
session-topics-hint = Códigos del libro de códigos separados por espacios, p. ej. C4 E1.
session-field-id = Identificador
session-field-series = Ciclo
session-field-number = Número
session-field-date = Fecha
session-field-start-time = Hora de inicio
session-field-time-zone = Zona horaria (IANA, p. ej. America/Montevideo)
session-field-duration-minutes = Duración (minutos)
session-field-original-language = Idioma original
session-field-title = Título
session-field-description = Descripción
session-field-topics = Temas
session-field-capacity = Cupo
session-field-status = Estado
session-field-channels = Canales
session-field-facebook-url = Dirección de Facebook Live
session-field-zoom-url = Enlace de Zoom
session-field-zoom-meeting-id = ID de reunión de Zoom
session-field-zoom-passcode = Código de acceso de Zoom
session-field-notes = Notas
capacity-unlimited = sin límite
register-title = Inscripción
register-series = Inscribirse en todas las próximas sesiones del ciclo
register-full = La sesión está completa: si se inscribe pasa a la lista de espera y le avisaremos cuando se libere un lugar.
register-closed = La inscripción a esta sesión está cerrada.
register-field-name = Nombre
register-field-email = Correo electrónico
register-field-institution = Institución
register-field-institution-text = Institución (si no está en la lista)
register-field-country = País
register-field-role = Cargo
register-field-lang = Idioma de los correos
register-institution-other = No está en la lista
register-consent = Acepto que la red conserve estos datos para gestionar mi inscripción.
register-privacy = Finalidad: inscribirle, enviarle la confirmación, los datos de conexión y los recordatorios, y contar la asistencia. Sus datos nunca se publican. { $count ->
        [0] Se borran { $count } días después de la última sesión a la que se inscribió
        [one] Se borran { $count } día después de la última sesión a la que se inscribió
       *[other] Se borran { $count } días después de la última sesión a la que se inscribió
    }; puede verlos, corregirlos, descargarlos o borrarlos en cualquier momento desde el enlace de sus correos.
register-send = Inscribirme
register-check-mail = Revise su correo ({ $email }): confirme la inscripción con el enlace que le enviamos. Sin confirmación vence en 48 horas.
register-too-many = Demasiadas inscripciones desde esta conexión. Vuelva a intentarlo en unos minutos.
err-field-consent-required = debe aceptar para inscribirse
err-field-invalid-time = debe ser una hora HH:MM
err-field-invalid-time-zone = debe ser una zona horaria IANA como America/Montevideo
err-field-out-of-range = está fuera del rango permitido
err-field-not-a-number = debe ser un número
err-field-invalid-hashtag = solo puede tener letras, dígitos y _
err-code-registration_closed = La inscripción a esta sesión está cerrada (fue cancelada, ya se realizó o ya empezó).
err-code-throttled = Se envió un mensaje a esta sesión hace menos de diez minutos. Espere, por favor.
ref-field-series = Ciclo
ref-field-organiser = Organizador
registrations-title = Mis inscripciones
registrations-find = ¿Ya se inscribió? Reciba el enlace a sus inscripciones
registrations-link-explain = Escriba el correo con el que se inscribió: le enviaremos un enlace a sus inscripciones.
registrations-link-send = Enviarme el enlace
registrations-link-sent = Si esa dirección está inscrita, el enlace está en camino.
registrations-link-invalid = Este enlace no es válido o venció. Pida uno nuevo desde la página de inscripciones.
registrations-confirm-explain = Tiene inscripciones que esperan su confirmación.
registrations-confirm = Confirmar mi inscripción
registrations-state = Estado
registrations-cancel = Cancelar
registrations-your-data = Sus datos
registrations-save = Guardar mis datos
registrations-export = Descargar mis datos (JSON)
registrations-erase-sure = Quiero que se borren mis datos (se cancelan mis inscripciones)
registrations-erase = Borrar mis datos
registrations-erase-confirm = Marque la casilla para confirmar el borrado.
registrations-erased = Sus datos fueron borrados. Los recuentos de las sesiones conservan su inscripción sin su nombre.
registration-state-pending = Espera confirmación
registration-state-confirmed = Confirmada
registration-state-waiting = Lista de espera
registration-state-cancelled = Cancelada
registration-state-expired = Vencida
registrants-title = Personas inscritas
registrants-csv = Descargar en CSV
message-title = Mensaje a las personas inscritas confirmadas
message-subject = Asunto
message-body = Mensaje
message-hint = Se envía por correo a cada persona inscrita confirmada; como máximo un mensaje cada diez minutos; queda en el historial de la sesión.
message-send = Enviar
message-required = Hacen falta un asunto y un mensaje.
message-queued = { $n ->
    [0] El mensaje está en camino a { $n } personas inscritas.
    [one] El mensaje está en camino a una persona inscrita.
   *[other] El mensaje está en camino a { $n } personas inscritas.
}
jobs-title = Cola de correos y recordatorios
jobs-kind = Tipo
jobs-state = Estado
jobs-run-at = Para
jobs-attempts = Intentos
jobs-note = Nota
join-zoom = Enlace de Zoom
join-meeting-id = ID de reunión
join-passcode = Código de acceso
mail-offset-24h = mañana
mail-offset-1h = dentro de una hora
mail-footer = Para ver, cancelar o borrar sus inscripciones: { $link }
mail-confirm-subject = Confirme su inscripción: { $session }
mail-confirm-body = Hola, { $name }:

    Confirme su inscripción en «{ $session }» ({ $when }) abriendo este enlace y pulsando «Confirmar»:
    { $link }

    Sin confirmación, la inscripción vence en 48 horas. Si no se inscribió, ignore este mensaje.
mail-link-subject = Sus inscripciones
mail-link-body = Hola, { $name }:

    Este es el enlace a sus inscripciones:
    { $link }
mail-confirmed-subject = Inscripción confirmada: { $session }
mail-confirmed-body = Hola, { $name }:

    Su lugar en «{ $session }» ({ $when }) está confirmado. Adjuntamos la invitación.
mail-waiting-subject = En lista de espera: { $session }
mail-waiting-body = Hola, { $name }:

    «{ $session }» ({ $when }) está completa. Está en la lista de espera y le avisaremos en cuanto se libere un lugar.
mail-promoted-subject = Se liberó un lugar: { $session }
mail-promoted-body = Hola, { $name }:

    Se liberó un lugar y es suyo: «{ $session }» ({ $when }). Adjuntamos la invitación.
mail-cancelled-subject = Inscripción cancelada: { $session }
mail-cancelled-body = Hola, { $name }:

    Su inscripción en «{ $session }» quedó cancelada.
mail-reminder-subject = Recordatorio: { $session }, { $offset }
mail-reminder-body = Hola, { $name }:

    «{ $session }» empieza { $offset } ({ $when }).
mail-rescheduled-subject = Nuevo horario: { $session }
mail-rescheduled-body = Hola, { $name }:

    «{ $session }» tiene un nuevo horario: { $when }. Adjuntamos la invitación actualizada.
mail-session-cancelled-subject = Sesión cancelada: { $session }
mail-session-cancelled-body = Hola, { $name }:

    «{ $session }» ({ $when }) fue cancelada. Lo sentimos.
mail-message-subject = { $subject }
mail-message-body = Hola, { $name }:

    Un mensaje sobre «{ $session }»:

    { $body }
profile-presented = Presentó en los ciclos de eventos
home-upcoming = Próximas sesiones
search-type-series = Ciclo de eventos
series-new = Nuevo ciclo de eventos
series-edit = Editar ciclo
series-add = Añadir un ciclo
series-edit-link = Editar este ciclo
series-field-id = Identificador
series-field-original-language = Idioma original
series-field-title = Título
series-field-description = Descripción
series-field-organiser = Institución organizadora
series-field-hashtag = Etiqueta (sin #)
series-field-certificate-policy = Política de certificados (qué asistencia da derecho a certificado)
series-field-figures = Cifras informadas
series-field-presenters = Presentadores
series-field-series = Ciclo
series-field-session = Sesión
series-field-institution = Institución
series-field-name = Nombre de la persona
series-field-role = Cargo
series-field-reason = Motivo del cambio (queda en el historial)
series-figures-form-hint = Solo cifras que una fuente informa, cada una con su fuente (por ejemplo un informe y su página). Deje ambos vacíos si no hay cifra.
series-presenters-form-hint = Una institución del directorio o el nombre de una persona. Quien presentó en una sesión la indica; deje la sesión vacía para todo el ciclo. Deje una fila vacía para quitarla.
series-presenter = Presentador
series-whole = Todo el ciclo
sessions-import = Importar sesiones
sessions-import-help = Suba las sesiones en CSV (UTF-8) o XLSX (primera hoja), una fila por sesión. Todo o nada: si una línea está mal, se enumeran todos los problemas y no se guarda nada. Importar de nuevo el mismo archivo no cambia nada; un nuevo horario o una cancelación se avisa a los inscritos.
sessions-import-columns = Columnas (desde “status” en adelante, opcionales):
sessions-import-file = Archivo (CSV o XLSX)
sessions-import-submit = Importar
sessions-import-refused = El archivo no se importó; no se guardó nada. Corrija:
sessions-import-done = Importado. Creadas: { $created } · actualizadas: { $updated } · sin cambios: { $unchanged }
sessions-import-line = Línea { $line }: { $problem }
import-bad-xlsx = No se pudo leer la planilla. Guárdela de nuevo como XLSX o CSV.
register-privacy-kept = Finalidad: inscribirle, enviarle la confirmación, los datos de conexión y los recordatorios, y contar la asistencia. Sus datos nunca se publican. Se conservan hasta que usted o un coordinador los borre; puede verlos, corregirlos, descargarlos o borrarlos en cualquier momento desde el enlace de sus correos.
