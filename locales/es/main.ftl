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

home-title = La red de un vistazo
home-lead = Instituciones de formación profesional de América Latina, el Caribe y España que responden juntas a una crisis: quiénes son, qué hicieron, qué comparten.
home-glance = En cifras
stat-members = { $count ->
    [one] institución miembro
   *[other] instituciones miembro
}
stat-countries = { $count ->
    [one] país con miembros
   *[other] países con miembros
}
stat-presenters = { $count ->
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
