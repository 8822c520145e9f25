# Textos da interface do Faro — português.
# As chaves são as mesmas em es/, en/ e pt/ (um teste verifica).

site-description = Faro: a plataforma de conhecimento da rede OIT/Cinterfor de instituições de formação profissional.
skip-to-content = Ir para o conteúdo
lang-switcher-label = Idioma
nav-label = Principal
nav-home = Início
nav-institutions = Instituições
footer-about = Faro é a plataforma aberta da rede OIT/Cinterfor de instituições de formação profissional da América Latina, do Caribe e da Espanha.
footer-api = API de dados abertos (OpenAPI)
footer-licence = Dados sob CC BY 4.0
back-home = Voltar ao início
breadcrumb-label = Trilha de navegação

not-found-title = Página não encontrada
not-found-body = Não há nenhuma página neste endereço. Ela pode ter sido movida ou o link pode estar errado.
not-found-language = Este endereço não começa com um idioma em que publicamos. Escolha um:
bad-request-title = A solicitação não foi entendida
server-error-title = Algo deu errado
server-error-body = Não foi possível gerar a página. Tente novamente em instantes.

home-title = A rede em resumo
home-lead = Instituições de formação profissional da América Latina, do Caribe e da Espanha respondendo juntas a uma crise: quem são, o que fizeram, o que compartilham.
home-glance = Em números
stat-members = { $count ->
    [one] instituição membro
   *[other] instituições membros
}
stat-countries = { $count ->
    [one] país com membros
   *[other] países com membros
}
stat-presenters = { $count ->
    [one] organização apresentou no ciclo de videoconferências de 2020
   *[other] organizações apresentaram no ciclo de videoconferências de 2020
}
home-areas = O que você encontra aqui
area-soon = em breve
area-institutions = Diretório da rede
area-institutions-desc = Todas as instituições membros e as organizações que apresentaram no ciclo, com seu país e tipo.
area-observatory = Observatório de medidas
area-observatory-desc = As medidas que as instituições tomaram, codificadas, citáveis e disponíveis para download.
area-resources = Base de conhecimento
area-resources-desc = Publicações, guias, protocolos e recursos didáticos compartilhados pela rede.
area-courses = Buscador de cursos
area-courses-desc = Cursos on-line gratuitos oferecidos pelas instituições membros.
area-events = Ciclo de eventos
area-events-desc = Videoconferências, palestrantes, participação e certificados.
area-surveys = Pesquisas com membros
area-surveys-desc = Questionários respondidos por cada instituição e seus resultados.
area-reports = Relatórios
area-reports-desc = Relatórios gerados a partir dos dados.

directory-title = Diretório da rede
filters-label = Filtrar o diretório
filter-q = Nome ou sigla
filter-country = País
filter-any-country = Todos os países
filter-kind = Tipo
filter-any-kind = Todos os tipos
filter-presenter = Apresentou no ciclo de 2020
filter-member = Somente membros
filter-apply = Aplicar filtros
filter-clear = Limpar filtros
directory-total = { $count ->
    [one] 1 organização
   *[other] { $count } organizações
}
directory-empty = Nenhuma organização corresponde a estes filtros.
directory-data = Esta lista como dados abertos:
col-acronym = Sigla
col-name = Nome
col-country = País
col-kind = Tipo
tag-presenter = apresentou
tag-not-member = não é membro
pager-label = Páginas
pager-prev = Página anterior
pager-next = Próxima página
pager-page = Página
country-none = Sem país (internacional ou não informado)

profile-name = Nome
profile-membership = Participação na rede
profile-member-yes = Membro da rede OIT/Cinterfor
profile-member-no = Não consta da lista de membros da rede
profile-series = Ciclo de videoconferências de 2020
profile-presenter-yes = Apresentou uma experiência
profile-presenter-no = Não apresentou
profile-website = Site
profile-note = Nota editorial
profile-data = Este registro como dados abertos:

lang-es = espanhol
lang-en = inglês
lang-pt = português

kind-training-institution = Instituição de formação
kind-ministry-agency = Ministério ou órgão público
kind-social-partner = Organização de empregadores ou de trabalhadores
kind-international-body = Organismo internacional
kind-university = Universidade
kind-foundation-ngo = Fundação ou ONG
kind-other = Outro

err-invalid-country = “{ $value }” não é um código de país (use duas letras, ISO 3166-1, p. ex. BR).
err-invalid-kind = “{ $value }” não é um tipo de organização.
err-invalid-number = O parâmetro “{ $param }” deve ser um número inteiro dentro do intervalo, não “{ $value }”.
err-invalid-bool = O parâmetro “{ $param }” deve ser true ou false, não “{ $value }”.
err-query-too-long = O texto de busca é longo demais (no máximo 200 caracteres).
err-malformed-query = O endereço contém um parâmetro malformado ou repetido.
