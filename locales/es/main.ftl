# Textos de la interfaz de Faro — español.
# Las claves son las mismas en es/, en/ y pt/ (una prueba lo verifica).

site-description = Faro: la plataforma de conocimiento de la red OIT/Cinterfor de instituciones de formación profesional.
skip-to-content = Ir al contenido
lang-switcher-label = Idioma
nav-label = Principal
nav-home = Inicio
nav-institutions = Instituciones
footer-about = Faro es la plataforma abierta de la red OIT/Cinterfor de instituciones de formación profesional de América Latina, el Caribe y España.
footer-api = API de datos abiertos (OpenAPI)
footer-licence = Datos bajo CC BY 4.0
back-home = Volver al inicio
breadcrumb-label = Ruta de navegación

not-found-title = Página no encontrada
not-found-body = No hay ninguna página en esta dirección. Puede haberse movido o el enlace puede estar mal escrito.
not-found-language = Esta dirección no comienza con un idioma en el que publiquemos. Elija uno:
bad-request-title = No se entendió la solicitud
server-error-title = Algo salió mal
server-error-body = No se pudo generar la página. Vuelva a intentarlo en un momento.
unavailable-title = No disponible por el momento
unavailable-body = La base de datos no responde en este momento. El sitio se recupera solo: vuelva a intentarlo en unos segundos.

home-title = La red de un vistazo
home-lead = Instituciones de formación profesional de América Latina, el Caribe y España que responden juntas a una crisis: quiénes son, qué hicieron, qué comparten.
home-glance = En cifras
stat-members = { $count ->
    [0] instituciones miembro
    [one] institución miembro
   *[other] instituciones miembro
}
stat-countries = { $count ->
    [0] países con miembros
    [one] país con miembros
   *[other] países con miembros
}
stat-presenters = { $count ->
    [0] organizaciones presentaron en el ciclo de videoconferencias 2020
    [one] organización presentó en el ciclo de videoconferencias 2020
   *[other] organizaciones presentaron en el ciclo de videoconferencias 2020
}
home-areas = Qué encontrará aquí
area-soon = próximamente
area-institutions = Directorio de la red
area-institutions-desc = Todas las instituciones miembro y las organizaciones que presentaron en el ciclo, con su país y tipo.
area-observatory = Observatorio de medidas
area-observatory-desc = Las medidas que tomaron las instituciones, codificadas, citables y descargables.
area-resources = Base de conocimiento
area-resources-desc = Publicaciones, guías, protocolos y recursos didácticos compartidos por la red.
area-courses = Buscador de cursos
area-courses-desc = Cursos en línea gratuitos que ofrecen las instituciones miembro.
area-events = Ciclo de eventos
area-events-desc = Videoconferencias, expositores, asistencia y certificados.
area-surveys = Encuestas a miembros
area-surveys-desc = Cuestionarios respondidos por cada institución y sus resultados.
area-reports = Informes
area-reports-desc = Informes generados a partir de los datos.

directory-title = Directorio de la red
filters-label = Filtrar el directorio
filter-q = Nombre o sigla
filter-country = País
filter-any-country = Todos los países
filter-kind = Tipo
filter-any-kind = Todos los tipos
filter-presenter = Presentó en el ciclo 2020
filter-member = Solo miembros
filter-apply = Aplicar filtros
filter-clear = Quitar filtros
directory-total = { $count ->
    [0] { $count } organizaciones
    [one] 1 organización
   *[other] { $count } organizaciones
}
directory-empty = Ninguna organización coincide con estos filtros.
directory-data = Esta lista como datos abiertos:
col-acronym = Sigla
col-name = Nombre
col-country = País
col-kind = Tipo
tag-presenter = expositora
tag-not-member = no es miembro
pager-label = Páginas
pager-prev = Página anterior
pager-next = Página siguiente
pager-page = Página
country-none = Sin país (internacional o no indicado)

profile-name = Nombre
profile-membership = Pertenencia a la red
profile-member-yes = Miembro de la red OIT/Cinterfor
profile-member-no = No figura en la lista de miembros de la red
profile-series = Ciclo de videoconferencias 2020
profile-presenter-yes = Presentó una experiencia
profile-presenter-no = No presentó
profile-website = Sitio web
profile-note = Nota editorial
profile-data = Este registro como datos abiertos:

lang-es = español
lang-en = inglés
lang-pt = portugués

kind-training-institution = Institución de formación
kind-ministry-agency = Ministerio u organismo público
kind-social-partner = Organización de empleadores o de trabajadores
kind-international-body = Organismo internacional
kind-university = Universidad
kind-foundation-ngo = Fundación u ONG
kind-other = Otro

err-invalid-country = «{ $value }» no es un código de país (use dos letras, ISO 3166-1, p. ej. BR).
err-invalid-kind = «{ $value }» no es un tipo de organización.
err-invalid-number = El parámetro «{ $param }» debe ser un número entero dentro del rango, no «{ $value }».
err-invalid-bool = El parámetro «{ $param }» debe ser true o false, no «{ $value }».
err-query-too-long = El texto de búsqueda es demasiado largo (máximo 200 caracteres).
err-malformed-query = La dirección contiene un parámetro mal formado o repetido.

## Cuentas, edición e historial
nav-admin = Administración
nav-login = Iniciar sesión
nav-logout = Cerrar sesión
forbidden-title = No permitido
forbidden-body = Su cuenta no puede realizar esta acción.
csrf-failed = El formulario venció o no provino de este sitio. No se cambió nada; recargue la página e intente de nuevo.
sign-in-title = Debe iniciar sesión
sign-in-required = Inicie sesión para continuar.
login-title = Iniciar sesión
login-failed = El correo electrónico o la contraseña no son correctos.
login-throttled = Demasiados intentos fallidos. Vuelva a intentarlo en { $minutes ->
    [0] { $minutes } minutos
    [one] 1 minuto
   *[other] { $minutes } minutos
}.
login-button = Iniciar sesión
reset-link = ¿Olvidó su contraseña?
field-email = Correo electrónico
field-password = Contraseña
account-title = Su cuenta
field-role = Rol
field-institutions = Instituciones
role-coordinator = Coordinación de la red
role-editor = Editor de institución
actor-editor = Editor
actor-coordinator = Coordinación
actor-staff = Personal
field-display-name = Nombre público
display-name-help = Se muestra en las páginas públicas y en los datos abiertos como autor de sus cambios. Déjelo vacío para mostrar su rol. Su dirección de correo nunca se muestra.
err-display-name-too-long = El nombre público puede tener como máximo 80 caracteres.
err-display-name-email = El nombre público no puede ser una dirección de correo.
err-display-name-invalid = El nombre público contiene caracteres no permitidos.
password-title = Cambiar la contraseña
tokens-title = Tokens de la API
users-title = Usuarios
audit-title = Registro de auditoría
deleted-title = Registros eliminados
field-current-password = Contraseña actual
field-new-password = Nueva contraseña
field-confirm-password = Repita la nueva contraseña
password-hint = Al menos 10 caracteres.
err-password-too-short = La nueva contraseña debe tener al menos 10 caracteres.
err-password-too-long = La nueva contraseña es demasiado larga.
err-password-mismatch = Las dos contraseñas nuevas no coinciden.
err-current-password = La contraseña actual no es correcta.
password-changed = Su contraseña fue cambiada. Se cerraron sus otras sesiones.
save-button = Guardar
cancel = Cancelar
saved = Guardado.
reset-title = Restablecer la contraseña
reset-explain = Escriba su correo electrónico. Si corresponde a una cuenta, le enviaremos un enlace para elegir una nueva contraseña.
reset-button = Enviar el enlace
reset-sent = Si existe una cuenta con esta dirección, se envió un enlace para elegir una nueva contraseña. Funciona una sola vez y vence en 24 horas.
reset-invalid = Este enlace no es válido: puede haber vencido o ya haberse usado. Puede solicitar uno nuevo.
reset-done = Su contraseña quedó establecida. Ya puede iniciar sesión.
mail-reset-subject = Faro: restablecer la contraseña
mail-reset-body = Alguien pidió restablecer la contraseña de su cuenta de Faro. Para elegir una nueva, abra este enlace (funciona una sola vez y vence en { $hours } horas): { $link } — Si no fue usted, ignore este mensaje.
mail-welcome-subject = Faro: su nueva cuenta
mail-welcome-body = Se creó una cuenta para usted en Faro. Para elegir su contraseña, abra este enlace (funciona una sola vez y vence en { $hours } horas): { $link }
tokens-explain = Los tokens permiten que los programas usen la API JSON con sus permisos (encabezado "Authorization: Bearer …"). Revoque los que ya no use.
tokens-shown-once = Su nuevo token se muestra solo esta vez. Cópielo ahora:
field-token-name = Nombre del token
tokens-create = Crear token
tokens-revoke = Revocar
tokens-revoked = revocado
err-token-name = Dé un nombre al token (máximo 100 caracteres).
col-created = Creado
col-last-used = Último uso
col-actions = Acciones
col-status = Estado
users-add = Agregar un usuario
users-created = Se creó la cuenta. Envíe este enlace de un solo uso a la persona para que elija su contraseña (también se envió por correo, o se escribió en el registro del servidor si el correo no está configurado):
users-disabled = Desactivado
users-pending = Esperando contraseña
users-active = Activo
err-role = Elija un rol.
err-invalid-email = Escriba un correo electrónico válido.
err-editor-needs-institution = Un editor de institución necesita al menos una institución.
err-user-exists = Ya existe un usuario con este correo electrónico.
err-unknown-institution = Una de las instituciones no existe.
err-self-demote = No puede desactivar su propia cuenta ni quitarse el rol de coordinación.
err-invalid-date = El parámetro «{ $param }» debe ser una fecha como 2020-06-25, no «{ $value }».
action-created = creado
action-updated = modificado
action-deleted = eliminado
action-restored = restaurado
col-actor = Quién
col-record-type = Tipo de registro
col-record = Registro
col-when = Cuándo
col-action = Cambio
col-field = Campo
col-before = Antes
col-after = Después
col-reason = Motivo
audit-from = Desde
audit-until = Hasta
audit-total = { $count ->
    [0] { $count } cambios
    [one] 1 cambio
   *[other] { $count } cambios
}
history-title = Historial de cambios
history-deleted = Este registro fue eliminado. Se conserva, con su historial, y la coordinación puede restaurarlo.
restore-button = Restaurar
delete-button = Eliminar esta institución
deleted-none = No hay registros eliminados.
edit-title = Editar el perfil
edit-link = Editar este perfil
edit-has-errors = Corrija lo siguiente:
profile-about = Acerca de
field-acronym = Sigla
field-name-es = Nombre en español
field-name-en = Nombre en inglés
field-name-pt = Nombre en portugués
field-website = Sitio web
field-contact-email = Correo de contacto
field-description-es = Descripción en español
field-description-en = Descripción en inglés
field-description-pt = Descripción en portugués
field-country = Código de país
field-country-hint = Dos letras (ISO 3166-1), p. ej. UY; vacío para organismos internacionales.
field-reason = Motivo del cambio (opcional)
field-id = Identificador
field-note = Nota editorial
field-kind = Tipo
err-field-required = es obligatorio
err-field-invalid-slug = debe usar minúsculas, dígitos y guiones
err-field-unknown-country = no es un código de país válido
err-field-unknown-kind = no es un tipo conocido
err-field-invalid-bool = debe ser sí o no
err-field-too-long = es demasiado largo
err-field-invalid-url = debe ser una dirección que comience con http:// o https://
err-field-control-chars = contiene caracteres no permitidos
err-field-needs-name = necesita un nombre en al menos un idioma
err-field-invalid-email = debe ser un correo electrónico

## Búsqueda
nav-search = Buscar
search-title = Buscar
search-q = Palabras a buscar
search-sort = Orden
search-sort-relevance = Más pertinentes primero
search-sort-date = Más recientes primero
search-button = Buscar
search-unavailable = La búsqueda no está disponible en este momento. Inténtelo más tarde.
search-active = Filtros activos
search-remove = quitar este filtro
search-total = { $count ->
    [0] { $count } resultados
    [one] 1 resultado
   *[other] { $count } resultados
}
search-truncated = Su búsqueda era larga: solo se usaron sus primeras palabras.
search-empty = No hay coincidencias. Pruebe con menos palabras o con otras; los acentos y los plurales no importan.
search-facets = Afinar
search-facet-type = Tipo
search-facet-country = País
search-facet-institution = Institución
search-facet-category = Categoría
search-facet-language = Idioma
search-facet-year = Año
search-type-institution = Institución
err-invalid-sort = El orden «{ $value }» no existe (use relevance o date).
err-invalid-facet = El filtro «{ $param }» tiene un valor demasiado largo o no permitido.
err-too-many-filters = Demasiados filtros a la vez.

## Observatorio
nav-observatory = Observatorio
obs-title = Observatorio de medidas
obs-lead = Lo que hicieron las instituciones de la red ante la crisis, una fila por medida, codificada con un libro de códigos versionado. Las fechas desconocidas se muestran como desconocidas.
obs-data = Datos abiertos:
obs-licence = Licencia: CC BY 4.0
obs-total = { $count ->
    [0] { $count } medidas
    [one] 1 medida
   *[other] { $count } medidas
}
obs-empty = Ninguna medida coincide con estos filtros.
obs-measure = Medida
obs-categories = Categorías
obs-log-type = Tipo de cambio
obs-target-groups = Grupos destinatarios
obs-scope = Alcance
obs-crisis = Crisis
obs-last-reviewed = última revisión
obs-sources = Fuentes
obs-accessed = consultada el
obs-cite = Cómo citar
obs-announced = Anuncio
obs-start = Inicio
obs-end = Fin
obs-facet-country = País
obs-facet-institution = Institución
obs-facet-category = Categoría
obs-facet-target-group = Grupo destinatario
obs-facet-status = Estado
obs-facet-year = Año de inicio
search-facet-status = Estado
search-type-measure = Medida
codebook-title = Libro de códigos
codebook-released = Publicado el
codebook-versions = Versiones
cite-measure = Red OIT/Cinterfor, observatorio Faro. «{ $title }» (medida { $id }, libro de códigos v{ $version }). { $url } (consultado el { $date }). CC BY 4.0.
date-unknown = desconocido
date-none = ninguna
tg-youth = Jóvenes
tg-women = Mujeres
tg-rural = Población rural
tg-low-income = Bajos ingresos
tg-unemployed = Personas desempleadas
tg-informal-workers = Trabajadores informales
tg-apprentices = Aprendices
tg-teachers = Docentes e instructores
tg-enterprises-smes = Empresas y pymes
tg-persons-with-disabilities = Personas con discapacidad
tg-migrants = Migrantes
tg-health-workers = Personal de salud
tg-learners = Participantes en formación
status-draft = Borrador
status-submitted = Enviada
status-verified = Verificada
log-introduced = Introducida
log-extended = Prorrogada
log-modified = Modificada
log-phased-out = Retirada
scope-national = Nacional
scope-regional = Regional
scope-local = Local
scope-general = general
scope-targeted = focalizada
source-official = Fuente oficial
source-self-reported = Autodeclarada
source-media = Medios
source-this-report = El informe del ciclo 2020
charts-title = Gráficos
chart-matrix = Medidas por país y categoría
chart-matrix-note = Cada celda cuenta las medidas de un país codificadas en esa categoría (una medida con códigos en dos categorías cuenta en ambas).
chart-map = Medidas por país miembro
chart-map-note = Más oscuro significa más medidas. Gris: ninguna medida registrada. Los organismos internacionales no figuran en el mapa (véase la tabla).
chart-timeline = Medidas iniciadas por mes, por categoría
chart-undated = { $count ->
    [0] { $count } medidas no tienen mes de inicio conocido y no se dibujan.
    [one] 1 medida no tiene mes de inicio conocido y no se dibuja.
   *[other] { $count } medidas no tienen mes de inicio conocido y no se dibujan.
}
chart-data = Los datos de este gráfico
chart-measures = Medidas
chart-month = Mes
country-none-short = Internacional o sin país

## Correcciones
correction-title = Sugerir una corrección
correction-explain = ¿Algo está mal o falta? Avise a la coordinación, con una fuente si puede. Cada sugerencia y su resultado son públicos:
correction-field-what = ¿Qué está mal y qué debería decir?
correction-field-source-url = Fuente (dirección web)
correction-field-contact = Su correo electrónico (opcional)
correction-contact-hint = Solo lo ve la coordinación, para hacerle preguntas. Nunca se publica.
correction-send = Enviar la sugerencia
correction-thanks = Gracias. Su sugerencia es la número { $id }; la coordinación la revisará y el resultado aparecerá en el registro público de correcciones.
correction-too-many = Demasiadas sugerencias desde su conexión en la última hora. Inténtelo más tarde.
correction-invalid-value = El valor corregido no es válido:
correction-already-decided = Esta sugerencia ya fue resuelta.
correction-reason-required = Un rechazo necesita un motivo.
corrections-title = Registro de correcciones
corrections-lead = Correcciones sugeridas al observatorio y lo que decidió la coordinación. Los cambios aceptados figuran también en el historial de cada medida y en measures-changes.csv.
corrections-none = Todavía no se han sugerido correcciones.
corrections-all = Todas
corrections-filter = Correcciones por estado
corrections-none-here = No hay correcciones con este estado.
corrections-count = { $count ->
    [0] { $count } correcciones
    [one] Una corrección
   *[other] { $count } correcciones
}
correction-status-pending = pendiente
correction-status-accepted = aceptada
correction-status-rejected = rechazada
correction-decision = Decisión
correction-changed = Qué cambió
correction-column = Campo a cambiar
correction-value = Nuevo valor
correction-note = Nota para el historial
correction-accept = Aceptar y aplicar
correction-reason = Motivo del rechazo
correction-reject = Rechazar
correction-review = Revisar esta sugerencia
correction-review-title = Revisión de la sugerencia
correction-pick = Elegir este campo
correction-pick-field = Elija el campo a cambiar.
correction-not-correctable = Una corrección no puede cambiar este campo.
correction-preview = El cambio
correction-preview-button = Ver el cambio
correction-apply = Aplicar el cambio
correction-no-change = El valor es el mismo que ahora.
correction-note-hint = Se añade al historial de la medida y a la decisión en el registro público, junto a la sugerencia.
correction-fix-errors = La sugerencia no se envió: revise el campo señalado abajo.
err-field-correction-length = debe tener entre 10 y 3000 caracteres
releases-title = Versiones congeladas

## Edición y revisión de medidas
measure-new = Nueva medida
measure-edit = Editar medida
measure-save-draft = Guardar como borrador
measure-submit = Enviar a revisión
measure-date-hint = Fechas: AAAA, AAAA-MM o AAAA-MM-DD; escriba "ninguna" si no hay; deje vacío si se desconoce.
review-title = Medidas en revisión
review-lead = Borradores y medidas enviadas. Los editores redactan y envían las medidas de sus instituciones; la coordinación las verifica o las devuelve con un comentario. Los borradores no son públicos.
review-empty = Nada pendiente.
review-last-comment = Último comentario
review-comment = Comentario (obligatorio para devolver)
review-verify = Verificar
review-send-back = Devolver
draft-delete = Eliminar borrador
notify-verified-subject = Verificada: { $title }
notify-verified-body = Su medida «{ $title }» fue verificada y está publicada en el observatorio.

    { $link }
notify-sent-back-subject = Devuelta: { $title }
notify-sent-back-body = Su medida «{ $title }» fue devuelta a borrador. La cola de revisión muestra el comentario de la coordinación:

    { $link }
notify-submitted-subject = Enviada a revisión: { $title }
notify-submitted-body = La medida «{ $title }» fue enviada y espera revisión.

    { $link }
notices-title = Avisos
notice-verified = Verificada: { $title }
notice-sent-back = Devuelta: { $title }
notice-waiting = { $count ->
    [0] { $count } medidas esperan revisión.
    [one] 1 medida espera revisión.
   *[other] { $count } medidas esperan revisión.
}
review-comment-required = Para devolver una medida hace falta un comentario.
mfield-id = Identificador
mfield-institution = Institución
mfield-country = País
mfield-crisis = Crisis
mfield-status = Estado
mfield-title = Título en el idioma original
mfield-original-language = Idioma original
mfield-title-es = Título en español
mfield-title-en = Título en inglés
mfield-title-pt = Título en portugués
mfield-description-es = Descripción en español
mfield-description-en = Descripción en inglés
mfield-description-pt = Descripción en portugués
mfield-categories = Categorías del libro de códigos
mfield-target-groups = Grupos destinatarios
mfield-log-type = Tipo de cambio
mfield-announced-date = Anuncio
mfield-start-date = Inicio
mfield-end-date = Fin
mfield-scope-level = Alcance
mfield-scope-targeting = General o focalizada
mfield-source-url = Dirección de la fuente
mfield-source-title = Título de la fuente
mfield-source-type = Tipo de fuente
mfield-source-accessed = Fuente consultada el
mfield-notes = Notas
mfield-last-reviewed = Última revisión
err-field-unknown-code = no es un código del libro de códigos vigente
err-field-not-allowed = no es uno de los valores permitidos
err-field-invalid-date = debe ser AAAA, AAAA-MM, AAAA-MM-DD o none
err-field-no-such-date = no es una fecha que exista (por ejemplo, 30 de febrero)
err-field-end-before-start = no puede ser anterior a la fecha de inicio
err-field-too-far-ahead = no puede ser posterior al año próximo
obs-search = Buscar en las medidas

## Base de conocimiento
nav-resources = Recursos
kb-title = Base de conocimiento
kb-lead = Publicaciones, guías, protocolos, plataformas y recursos didácticos que comparten las instituciones de la red. Lo que las fuentes no dicen (licencia, fecha, idioma) figura como desconocido.
kb-total = { $count ->
    [0] { $count } recursos
    [one] 1 recurso
   *[other] { $count } recursos
}
kb-facet-type = Tipo
kb-facet-topic = Tema
kb-facet-institution = Institución
kb-facet-country = País
kb-facet-language = Idioma
kb-facet-license = Licencia
kb-facet-year = Año
kb-audience = Destinatarios
kb-published = Publicado
kb-link = Enlace
kb-no-link = La fuente no da un enlace.
kb-license-unknown = no indicada
cite-resource = { $who }. «{ $title }». Base de conocimiento Faro, { $url } (consultado el { $date }).
search-type-resource = Recurso
search-type-session = Sesión
rtype-technical-note = Nota técnica
rtype-report = Informe
rtype-distance-teaching-guideline = Orientaciones para la enseñanza a distancia
rtype-return-protocol = Protocolo de regreso a las aulas
rtype-teacher-competence-framework = Marco de competencias TIC docentes
rtype-digital-teaching-resource = Recurso didáctico digital
rtype-virtual-platform = Plataforma virtual de formación
rtype-course-finder = Buscador de cursos en línea
rtype-free-online-course = Curso en línea gratuito
rtype-session-recording = Grabación o presentación de sesión
rtype-dataset = Conjunto de datos
rtype-website = Sitio web
aud-teachers = Docentes
aud-learners = Participantes
aud-institutions = Instituciones
aud-employers = Empleadores
aud-policy-makers = Responsables de políticas
files-title = Archivos
upload-title = Subir un archivo
upload-label = Archivo (PDF, DOCX, PPTX, ODT, XLSX o una imagen)
upload-button = Subir
upload-malformed = No se pudo leer el archivo enviado. Vuelva a intentarlo.
upload-too-large = El archivo es demasiado grande. No se guardó nada.
upload-missing = Elija un archivo para subir.
upload-bad-type = Este tipo de archivo no se acepta (PDF, DOCX, PPTX, ODT, XLSX, PNG, JPEG, GIF o WebP). No se guardó nada.
upload-off = En este sitio no se pueden subir archivos.
link-check = Verificación del enlace
link-ok = Funciona (HTTP { $status }) el { $date }.
link-broken = Roto (HTTP { $status }) el { $date }.
link-unreachable = Inaccesible el { $date }: { $detail }
link-never = Aún no verificado (`faro check-links`).

## Knowledge base editing
resource-new = Añadir un recurso
resource-edit = Editar este recurso
resource-save = Guardar
resource-delete = Eliminar este recurso
resource-needs-own-institution = Mantenga al menos una de sus propias instituciones entre las instituciones del recurso.
resource-changed-meanwhile = Alguien guardó este recurso después de que usted abriera el formulario. Sus cambios están abajo, sin guardar: revise la versión actual (historial) y guarde de nuevo para conservar los suyos.
resource-institutions-hint = Las instituciones que lo elaboraron o publicaron. Mantenga pulsada Ctrl (⌘ en Mac) para elegir varias.
resource-languages-hint = Idiomas del contenido como etiquetas BCP 47, separadas por punto y coma: es; pt-BR; en.
resource-countries-hint = Códigos ISO 3166-1 de dos letras, separados por punto y coma: CO; BR. Deje vacío para recursos regionales.
resource-license-hint = Un identificador SPDX o Creative Commons como CC-BY-4.0; deje vacío si la fuente no indica ninguno.
resource-published-hint = AAAA, AAAA-MM o AAAA-MM-DD; deje vacío si se desconoce.
resource-identifiers-hint = Identificadores persistentes, separados por punto y coma: doi:10.1234/abcd; hdl:20.500.12345/678.
rfield-id = Identificador
rfield-type = Tipo
rfield-institutions = Instituciones
rfield-original-language = Idioma original
rfield-title = Título
rfield-title-es = Título en español
rfield-title-en = Título en inglés
rfield-title-pt = Título en portugués
rfield-description = Descripción
rfield-description-es = Descripción en español
rfield-description-en = Descripción en inglés
rfield-description-pt = Descripción en portugués
rfield-url = Enlace
rfield-languages = Idiomas del contenido
rfield-countries = Países
rfield-topics = Temas
rfield-audience = Público
rfield-license = Licencia
rfield-published = Fecha de publicación
rfield-identifiers = Identificadores persistentes
rfield-related-measures = Medidas relacionadas
rfield-related-sessions = Sesiones relacionadas
rfield-notes = Notas editoriales
err-field-invalid-identifier = debe ser doi:10.NNNN/… o hdl:PREFIJO/SUFIJO
err-field-invalid-license = debe ser un identificador SPDX o Creative Commons como CC-BY-4.0
err-field-unknown-measure = no es una medida del observatorio
err-field-unknown-session = no es una sesión del ciclo de eventos

## Event series
nav-events = Eventos
events-title = Ciclo de eventos
events-lead = Las videoconferencias que realizó la red, sesión por sesión, con los recursos que surgieron de ellas.
events-series-vc2020 = Ciclo de videoconferencias: el papel de la formación profesional en respuesta a la crisis de la COVID-19 (2020)
events-not-yet = La inscripción, la asistencia, las estadísticas, los calendarios y los certificados aún no están disponibles.
col-number = N.º
col-date = Fecha
col-title = Título
session-number = Sesión { $n }
session-channels = Canales
session-no-resources = Todavía no hay recursos vinculados a esta sesión.
channel-zoom = Zoom
channel-facebook-live = Facebook Live
channel-youtube-live = YouTube Live
channel-teams = Microsoft Teams
channel-other = Otro canal (ver las notas)

## Shared by edit forms
record-changed-meanwhile = Alguien guardó este registro después de que usted abriera el formulario. Sus cambios están abajo, sin guardar: revise la versión actual (historial) y guarde de nuevo para conservar los suyos.
file-remove = Quitar
## Store error codes (faro_store::ERROR_CODES)
err-code-not_found = Este registro no existe o ya no es público.
err-code-conflict = Alguien cambió este registro después de que usted empezara: no se guardó nada. Revise la versión actual e inténtelo de nuevo.
err-code-invalid = Algunos valores no son válidos: no se guardó nada.
err-code-unknown_reference = { $field } «{ $target }» no existe o fue eliminado: no se guardó nada.
err-code-rule_broken = Este cambio no está permitido en el estado actual del registro: no se guardó nada.
err-code-internal = Algo falló de nuestro lado: no se guardó nada. Inténtelo de nuevo más tarde.
ref-field-institution = La institución
ref-field-measure = La medida
ref-field-session = La sesión

data-title = Datos abiertos
data-intro = Todo lo que publican el observatorio, la base de conocimiento y el buscador de cursos, en archivos que cualquiera puede descargar, leer con cualquier herramienta y reutilizar. Los archivos contienen siempre los datos actuales; una versión congelada no cambia nunca y puede citarse.
data-licence = Licencia:
data-last-change = Último cambio en los datos:
data-file = Archivo
data-holds = Qué contiene
data-format = Formato
data-file-courses-csv = Los cursos del buscador, una fila por edición (un curso sin ediciones ocupa una fila).
data-file-codebook-csv = El libro de códigos con que se codifican las medidas: códigos, códigos superiores, etiquetas y descripciones en tres idiomas.
data-file-codebook-json = El mismo libro de códigos en JSON.
data-file-measures-csv = Las medidas publicadas del observatorio, una fila por medida.
data-file-measures-json = Las mismas medidas en JSON.
data-file-measures-changes-csv = Cada cambio de cada campo de cada medida: cuándo, qué, antes y después, por qué y quién (un nombre o un rol, nunca una dirección de correo).
data-file-resources-csv = Las publicaciones, guías, protocolos y recursos didácticos de la base de conocimiento.
data-file-datapackage-json = El paquete de datos Frictionless que describe estos archivos, sus columnas y la licencia.
data-spreadsheets = En los archivos CSV, una celda cuyo texto empieza por =, +, -, @, un tabulador o un retorno de carro lleva un apóstrofo más delante, para que una hoja de cálculo la muestre como texto en lugar de ejecutarla como fórmula; las importaciones de Faro lo quitan.
data-releases-intro = Copias congeladas de todos los archivos, conservadas byte a byte: cite una versión para remitir a los datos tal como eran.
data-no-releases = Todavía no hay versiones congeladas.
data-releases-json = Las versiones en JSON
corrections-feed-entry = Corrección n.º { $id } de la medida { $measure }
obs-feed = Canal Atom de medidas nuevas y modificadas
corrections-feed = Canal Atom de correcciones aceptadas
date-month-year = { $month } de { $year }
history-yes = sí
history-no = no
reason-demo = datos de demostración tomados del informe de la serie 2020
reason-correction = corrección n.º { $id }
reason-import = importación de
reason-harvest = recolección de
reason-scheduled-harvest = recolección programada de
facet-more = { $count ->
    [0] Ver 0 valores más
    [one] Ver 1 valor más
   *[other] Ver { $count } valores más
}
