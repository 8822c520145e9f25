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
unavailable-title = Indisponível no momento
unavailable-body = O banco de dados não está respondendo agora. O site se recupera sozinho: tente novamente em alguns segundos.

home-title = A rede em resumo
home-lead = Instituições de formação profissional da América Latina, do Caribe e da Espanha respondendo juntas a uma crise: quem são, o que fizeram, o que compartilham.
home-glance = Em números
stat-members = { $count ->
    [0] instituições membros
    [one] instituição membro
   *[other] instituições membros
}
stat-countries = { $count ->
    [0] países com membros
    [one] país com membros
   *[other] países com membros
}
stat-presenters = { $count ->
    [0] organizações apresentaram no ciclo de videoconferências de 2020
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
    [0] { $count } organizações
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

## Contas, edição e histórico
nav-admin = Administração
nav-login = Entrar
nav-logout = Sair
forbidden-title = Não permitido
forbidden-body = Sua conta não pode fazer isto.
csrf-failed = O formulário expirou ou não veio deste site. Nada foi alterado; recarregue a página e tente novamente.
sign-in-title = É preciso entrar
sign-in-required = Entre na sua conta para continuar.
login-title = Entrar
login-failed = O e-mail ou a senha não estão corretos.
login-throttled = Tentativas malsucedidas demais. Tente novamente em { $minutes ->
    [0] { $minutes } minutos
    [one] 1 minuto
   *[other] { $minutes } minutos
}.
login-button = Entrar
reset-link = Esqueceu a senha?
field-email = E-mail
field-password = Senha
account-title = Sua conta
field-role = Papel
field-institutions = Instituições
role-coordinator = Coordenação da rede
role-editor = Editor de instituição
actor-editor = Editor
actor-coordinator = Coordenação
actor-staff = Equipe
field-display-name = Nome público
display-name-help = Aparece nas páginas públicas e nos dados abertos como autor das suas alterações. Deixe vazio para mostrar o seu papel. O seu endereço de e-mail nunca é mostrado.
err-display-name-too-long = O nome público pode ter no máximo 80 caracteres.
err-display-name-email = O nome público não pode ser um endereço de e-mail.
err-display-name-invalid = O nome público contém caracteres não permitidos.
password-title = Alterar a senha
tokens-title = Tokens da API
users-title = Usuários
audit-title = Registro de auditoria
deleted-title = Registros excluídos
field-current-password = Senha atual
field-new-password = Nova senha
field-confirm-password = Repita a nova senha
password-hint = Pelo menos 10 caracteres.
err-password-too-short = A nova senha deve ter pelo menos 10 caracteres.
err-password-too-long = A nova senha é longa demais.
err-password-mismatch = As duas novas senhas não são iguais.
err-current-password = A senha atual não está correta.
password-changed = Sua senha foi alterada. Suas outras sessões foram encerradas.
save-button = Salvar
cancel = Cancelar
saved = Salvo.
reset-title = Redefinir a senha
reset-explain = Informe seu e-mail. Se ele pertencer a uma conta, enviaremos um link para escolher uma nova senha.
reset-button = Enviar o link
reset-sent = Se existir uma conta com este endereço, foi enviado um link para escolher uma nova senha. Ele funciona uma única vez e expira em 24 horas.
reset-invalid = Este link não é válido: pode ter expirado ou já ter sido usado. Você pode pedir um novo.
reset-done = Sua senha foi definida. Agora você pode entrar.
mail-reset-subject = Faro: redefinir a senha
mail-reset-body = Alguém pediu para redefinir a senha da sua conta no Faro. Para escolher uma nova, abra este link (funciona uma única vez e expira em { $hours } horas): { $link } — Se não foi você, ignore esta mensagem.
mail-welcome-subject = Faro: sua nova conta
mail-welcome-body = Uma conta foi criada para você no Faro. Para escolher sua senha, abra este link (funciona uma única vez e expira em { $hours } horas): { $link }
tokens-explain = Os tokens permitem que programas usem a API JSON com as suas permissões (cabeçalho "Authorization: Bearer …"). Revogue os que não usar mais.
tokens-shown-once = Seu novo token é mostrado só desta vez. Copie-o agora:
field-token-name = Nome do token
tokens-create = Criar token
tokens-revoke = Revogar
tokens-revoked = revogado
err-token-name = Dê um nome ao token (no máximo 100 caracteres).
col-created = Criado
col-last-used = Último uso
col-actions = Ações
col-status = Situação
users-add = Adicionar um usuário
users-created = A conta foi criada. Envie este link de uso único para a pessoa escolher a senha (ele também foi enviado por e-mail, ou escrito no registro do servidor se o e-mail não estiver configurado):
users-disabled = Desativado
users-pending = Aguardando senha
users-active = Ativo
err-role = Escolha um papel.
err-invalid-email = Informe um e-mail válido.
err-editor-needs-institution = Um editor de instituição precisa de pelo menos uma instituição.
err-user-exists = Já existe um usuário com este e-mail.
err-unknown-institution = Uma das instituições não existe.
err-self-demote = Você não pode desativar a própria conta nem retirar o próprio papel de coordenação.
err-invalid-date = O parâmetro “{ $param }” deve ser uma data como 2020-06-25, não “{ $value }”.
action-created = criado
action-updated = alterado
action-deleted = excluído
action-restored = restaurado
col-actor = Quem
col-record-type = Tipo de registro
col-record = Registro
col-when = Quando
col-action = Mudança
col-field = Campo
col-before = Antes
col-after = Depois
col-reason = Motivo
audit-from = De
audit-until = Até
audit-total = { $count ->
    [0] { $count } alterações
    [one] 1 alteração
   *[other] { $count } alterações
}
history-title = Histórico de alterações
history-deleted = Este registro foi excluído. Ele é mantido, com seu histórico, e a coordenação pode restaurá-lo.
restore-button = Restaurar
delete-button = Excluir esta instituição
deleted-none = Não há registros excluídos.
edit-title = Editar o perfil
edit-link = Editar este perfil
edit-has-errors = Corrija o seguinte:
profile-about = Sobre
field-acronym = Sigla
field-name-es = Nome em espanhol
field-name-en = Nome em inglês
field-name-pt = Nome em português
field-website = Site
field-contact-email = E-mail de contato
field-description-es = Descrição em espanhol
field-description-en = Descrição em inglês
field-description-pt = Descrição em português
field-country = Código do país
field-country-hint = Duas letras (ISO 3166-1), p. ex. UY; vazio para organismos internacionais.
field-reason = Motivo da alteração (opcional)
field-id = Identificador
field-note = Nota editorial
field-kind = Tipo
err-field-required = é obrigatório
err-field-invalid-slug = deve usar minúsculas, dígitos e hífens
err-field-unknown-country = não é um código de país válido
err-field-unknown-kind = não é um tipo conhecido
err-field-invalid-bool = deve ser sim ou não
err-field-too-long = é longo demais
err-field-invalid-url = deve ser um endereço que comece com http:// ou https://
err-field-control-chars = contém caracteres não permitidos
err-field-needs-name = precisa de um nome em pelo menos um idioma
err-field-invalid-email = deve ser um e-mail

## Busca
nav-search = Buscar
search-title = Buscar
search-q = Palavras a buscar
search-sort = Ordem
search-sort-relevance = Mais relevantes primeiro
search-sort-date = Mais recentes primeiro
search-button = Buscar
search-unavailable = A busca não está disponível agora. Tente novamente mais tarde.
search-active = Filtros ativos
search-remove = remover este filtro
search-total = { $count ->
    [0] { $count } resultados
    [one] 1 resultado
   *[other] { $count } resultados
}
search-truncated = Sua busca era longa: só as primeiras palavras foram usadas.
search-empty = Nada corresponde. Tente menos palavras ou outras; acentos e plurais não importam.
search-facets = Refinar
search-facet-type = Tipo
search-facet-country = País
search-facet-institution = Instituição
search-facet-category = Categoria
search-facet-language = Idioma
search-facet-year = Ano
search-type-institution = Instituição
err-invalid-sort = A ordem “{ $value }” não existe (use relevance ou date).
err-invalid-facet = O filtro “{ $param }” tem um valor longo demais ou não permitido.
err-too-many-filters = Filtros demais de uma vez.

## Observatório
nav-observatory = Observatório
obs-title = Observatório de medidas
obs-lead = O que as instituições da rede fizeram na crise, uma linha por medida, codificada com um livro de códigos versionado. Datas desconhecidas continuam desconhecidas.
obs-data = Dados abertos:
obs-licence = Licença: CC BY 4.0
obs-total = { $count ->
    [0] { $count } medidas
    [one] 1 medida
   *[other] { $count } medidas
}
obs-empty = Nenhuma medida corresponde a estes filtros.
obs-measure = Medida
obs-categories = Categorias
obs-log-type = Tipo de mudança
obs-target-groups = Públicos-alvo
obs-scope = Abrangência
obs-crisis = Crise
obs-last-reviewed = última revisão
obs-sources = Fontes
obs-accessed = consultada em
obs-cite = Como citar
obs-announced = Anúncio
obs-start = Início
obs-end = Fim
obs-facet-country = País
obs-facet-institution = Instituição
obs-facet-category = Categoria
obs-facet-target-group = Público-alvo
obs-facet-status = Situação
obs-facet-year = Ano de início
search-facet-status = Situação
search-type-measure = Medida
codebook-title = Livro de códigos
codebook-released = Publicado em
codebook-versions = Versões
cite-measure = Rede OIT/Cinterfor, observatório Faro. “{ $title }” (medida { $id }, livro de códigos v{ $version }). { $url } (consultado em { $date }). CC BY 4.0.
date-unknown = desconhecido
date-none = nenhuma
tg-youth = Jovens
tg-women = Mulheres
tg-rural = População rural
tg-low-income = Baixa renda
tg-unemployed = Desempregados
tg-informal-workers = Trabalhadores informais
tg-apprentices = Aprendizes
tg-teachers = Docentes e instrutores
tg-enterprises-smes = Empresas e PMEs
tg-persons-with-disabilities = Pessoas com deficiência
tg-migrants = Migrantes
tg-health-workers = Profissionais de saúde
tg-learners = Participantes em formação
status-draft = Rascunho
status-submitted = Enviada
status-verified = Verificada
log-introduced = Introduzida
log-extended = Prorrogada
log-modified = Modificada
log-phased-out = Encerrada
scope-national = Nacional
scope-regional = Regional
scope-local = Local
scope-general = geral
scope-targeted = focalizada
source-official = Fonte oficial
source-self-reported = Autodeclarada
source-media = Imprensa
source-this-report = O relatório do ciclo de 2020
charts-title = Gráficos
chart-matrix = Medidas por país e categoria
chart-matrix-note = Cada célula conta as medidas de um país codificadas nessa categoria (uma medida com códigos em duas categorias conta nas duas).
chart-map = Medidas por país membro
chart-map-note = Mais escuro significa mais medidas. Cinza: nenhuma medida registrada. Organismos internacionais não aparecem no mapa (veja a tabela).
chart-timeline = Medidas iniciadas por mês, por categoria
chart-undated = { $count ->
    [0] { $count } medidas não têm mês de início conhecido e não são desenhadas.
    [one] 1 medida não tem mês de início conhecido e não é desenhada.
   *[other] { $count } medidas não têm mês de início conhecido e não são desenhadas.
}
chart-data = Os dados deste gráfico
chart-measures = Medidas
chart-month = Mês
country-none-short = Internacional ou sem país

## Correções
correction-title = Sugerir uma correção
correction-explain = Algo está errado ou falta? Avise a coordenação, com uma fonte se puder. Cada sugestão e seu resultado são públicos:
correction-field-what = O que está errado e o que deveria dizer?
correction-field-source-url = Fonte (endereço web)
correction-field-contact = Seu e-mail (opcional)
correction-contact-hint = Só a coordenação vê, para lhe fazer perguntas. Nunca é publicado.
correction-send = Enviar a sugestão
correction-thanks = Obrigado. Sua sugestão é a de número { $id }; a coordenação vai analisá-la e o resultado aparecerá no registro público de correções.
correction-too-many = Sugestões demais a partir da sua conexão na última hora. Tente novamente mais tarde.
correction-invalid-value = O valor corrigido não é válido:
correction-already-decided = Esta sugestão já foi decidida.
correction-reason-required = Uma rejeição precisa de um motivo.
corrections-title = Registro de correções
corrections-lead = Correções sugeridas ao observatório e o que a coordenação decidiu. As mudanças aceitas também aparecem no histórico de cada medida e em measures-changes.csv.
corrections-none = Ainda não foram sugeridas correções.
corrections-all = Todas
corrections-filter = Correções por situação
corrections-none-here = Não há correções com esta situação.
corrections-count = { $count ->
    [0] { $count } correções
    [one] Uma correção
   *[other] { $count } correções
}
correction-status-pending = pendente
correction-status-accepted = aceita
correction-status-rejected = rejeitada
correction-decision = Decisão
correction-changed = O que mudou
correction-column = Campo a alterar
correction-value = Novo valor
correction-note = Nota para o histórico
correction-accept = Aceitar e aplicar
correction-reason = Motivo da rejeição
correction-reject = Rejeitar
correction-review = Revisar esta sugestão
correction-review-title = Revisão da sugestão
correction-pick = Escolher este campo
correction-pick-field = Escolha o campo a alterar.
correction-not-correctable = Uma correção não pode alterar este campo.
correction-preview = A alteração
correction-preview-button = Ver a alteração
correction-apply = Aplicar a alteração
correction-no-change = O valor é o mesmo de agora.
correction-note-hint = É acrescentada ao histórico da medida e à decisão no registro público, junto à sugestão.
correction-fix-errors = A sugestão não foi enviada: verifique o campo indicado abaixo.
err-field-correction-length = deve ter entre 10 e 3000 caracteres
releases-title = Versões congeladas

## Edição e revisão de medidas
measure-new = Nova medida
measure-edit = Editar medida
measure-save-draft = Salvar como rascunho
measure-submit = Enviar para revisão
measure-date-hint = Datas: AAAA, AAAA-MM ou AAAA-MM-DD; escreva "nenhuma" se não houver; deixe vazio se for desconhecida.
review-title = Medidas em revisão
review-lead = Rascunhos e medidas enviadas. Os editores redigem e enviam as medidas de suas instituições; a coordenação as verifica ou devolve com um comentário. Rascunhos não são públicos.
review-empty = Nada pendente.
review-last-comment = Último comentário
review-comment = Comentário (obrigatório para devolver)
review-verify = Verificar
review-send-back = Devolver
draft-delete = Excluir rascunho
notify-verified-subject = Verificada: { $title }
notify-verified-body = A sua medida “{ $title }” foi verificada e está publicada no observatório.

    { $link }
notify-sent-back-subject = Devolvida: { $title }
notify-sent-back-body = A sua medida “{ $title }” foi devolvida para rascunho. A fila de revisão mostra o comentário da coordenação:

    { $link }
notify-submitted-subject = Enviada para revisão: { $title }
notify-submitted-body = A medida “{ $title }” foi enviada e aguarda revisão.

    { $link }
notices-title = Avisos
notice-verified = Verificada: { $title }
notice-sent-back = Devolvida: { $title }
notice-waiting = { $count ->
    [0] { $count } medidas aguardam revisão.
    [one] 1 medida aguarda revisão.
   *[other] { $count } medidas aguardam revisão.
}
review-comment-required = Para devolver uma medida é preciso um comentário.
mfield-id = Identificador
mfield-institution = Instituição
mfield-country = País
mfield-crisis = Crise
mfield-status = Situação
mfield-title = Título no idioma original
mfield-original-language = Idioma original
mfield-title-es = Título em espanhol
mfield-title-en = Título em inglês
mfield-title-pt = Título em português
mfield-description-es = Descrição em espanhol
mfield-description-en = Descrição em inglês
mfield-description-pt = Descrição em português
mfield-categories = Categorias do livro de códigos
mfield-target-groups = Públicos-alvo
mfield-log-type = Tipo de mudança
mfield-announced-date = Anúncio
mfield-start-date = Início
mfield-end-date = Fim
mfield-scope-level = Abrangência
mfield-scope-targeting = Geral ou focalizada
mfield-source-url = Endereço da fonte
mfield-source-title = Título da fonte
mfield-source-type = Tipo de fonte
mfield-source-accessed = Fonte consultada em
mfield-notes = Notas
mfield-last-reviewed = Última revisão
err-field-unknown-code = não é um código do livro de códigos vigente
err-field-not-allowed = não é um dos valores permitidos
err-field-invalid-date = deve ser AAAA, AAAA-MM, AAAA-MM-DD ou none
err-field-no-such-date = não é uma data que exista (por exemplo, 30 de fevereiro)
err-field-end-before-start = não pode ser anterior à data de início
err-field-too-far-ahead = não pode ser posterior ao próximo ano
obs-search = Buscar nas medidas

## Base de conhecimento
nav-resources = Recursos
kb-title = Base de conhecimento
kb-lead = Publicações, guias, protocolos, plataformas e recursos didáticos que as instituições da rede compartilham. O que as fontes não dizem (licença, data, idioma) aparece como desconhecido.
kb-total = { $count ->
    [0] { $count } recursos
    [one] 1 recurso
   *[other] { $count } recursos
}
kb-facet-type = Tipo
kb-facet-topic = Tema
kb-facet-institution = Instituição
kb-facet-country = País
kb-facet-language = Idioma
kb-facet-license = Licença
kb-facet-year = Ano
kb-audience = Público
kb-published = Publicado
kb-link = Link
kb-no-link = A fonte não dá um link.
kb-license-unknown = não informada
cite-resource = { $who }. “{ $title }”. Base de conhecimento Faro, { $url } (consultado em { $date }).
search-type-resource = Recurso
search-type-session = Sessão
rtype-technical-note = Nota técnica
rtype-report = Relatório
rtype-distance-teaching-guideline = Orientações para o ensino a distância
rtype-return-protocol = Protocolo de retorno às aulas
rtype-teacher-competence-framework = Marco de competências TIC docentes
rtype-digital-teaching-resource = Recurso didático digital
rtype-virtual-platform = Plataforma virtual de formação
rtype-course-finder = Buscador de cursos on-line
rtype-free-online-course = Curso on-line gratuito
rtype-session-recording = Gravação ou apresentação de sessão
rtype-dataset = Conjunto de dados
rtype-website = Site
aud-teachers = Docentes
aud-learners = Participantes
aud-institutions = Instituições
aud-employers = Empregadores
aud-policy-makers = Formuladores de políticas
files-title = Arquivos
upload-title = Enviar um arquivo
upload-label = Arquivo (PDF, DOCX, PPTX, ODT, XLSX ou uma imagem)
upload-button = Enviar
upload-malformed = Não foi possível ler o envio. Tente novamente.
upload-too-large = O arquivo é grande demais. Nada foi guardado.
upload-missing = Escolha um arquivo para enviar.
upload-bad-type = Este tipo de arquivo não é aceito (PDF, DOCX, PPTX, ODT, XLSX, PNG, JPEG, GIF ou WebP). Nada foi guardado.
upload-off = Este site não aceita envio de arquivos.
link-check = Verificação do link
link-ok = Funciona (HTTP { $status }) em { $date }.
link-broken = Quebrado (HTTP { $status }) em { $date }.
link-unreachable = Inacessível em { $date }: { $detail }
link-never = Ainda não verificado (`faro check-links`).

## Knowledge base editing
resource-new = Adicionar um recurso
resource-edit = Editar este recurso
resource-save = Salvar
resource-delete = Excluir este recurso
resource-needs-own-institution = Mantenha pelo menos uma das suas próprias instituições entre as instituições do recurso.
resource-changed-meanwhile = Alguém salvou este recurso depois que você abriu o formulário. Suas alterações estão abaixo, não salvas: confira a versão atual (histórico) e salve novamente para manter as suas.
resource-institutions-hint = As instituições que o elaboraram ou publicaram. Mantenha Ctrl (⌘ no Mac) pressionado para escolher várias.
resource-languages-hint = Idiomas do conteúdo como etiquetas BCP 47, separadas por ponto e vírgula: es; pt-BR; en.
resource-countries-hint = Códigos ISO 3166-1 de duas letras, separados por ponto e vírgula: CO; BR. Deixe vazio para recursos regionais.
resource-license-hint = Um identificador SPDX ou Creative Commons como CC-BY-4.0; deixe vazio se a fonte não indicar nenhum.
resource-published-hint = AAAA, AAAA-MM ou AAAA-MM-DD; deixe vazio se for desconhecida.
resource-identifiers-hint = Identificadores persistentes, separados por ponto e vírgula: doi:10.1234/abcd; hdl:20.500.12345/678.
rfield-id = Identificador
rfield-type = Tipo
rfield-institutions = Instituições
rfield-original-language = Idioma original
rfield-title = Título
rfield-title-es = Título em espanhol
rfield-title-en = Título em inglês
rfield-title-pt = Título em português
rfield-description = Descrição
rfield-description-es = Descrição em espanhol
rfield-description-en = Descrição em inglês
rfield-description-pt = Descrição em português
rfield-url = Link
rfield-languages = Idiomas do conteúdo
rfield-countries = Países
rfield-topics = Temas
rfield-audience = Público
rfield-license = Licença
rfield-published = Data de publicação
rfield-identifiers = Identificadores persistentes
rfield-related-measures = Medidas relacionadas
rfield-related-sessions = Sessões relacionadas
rfield-notes = Notas editoriais
err-field-invalid-identifier = deve ser doi:10.NNNN/… ou hdl:PREFIXO/SUFIXO
err-field-invalid-license = deve ser um identificador SPDX ou Creative Commons como CC-BY-4.0
err-field-unknown-measure = não é uma medida do observatório
err-field-unknown-session = não é uma sessão do ciclo de eventos

## Event series
nav-events = Eventos
events-title = Ciclo de eventos
events-lead = As videoconferências que a rede realizou, sessão por sessão, com os recursos que resultaram delas.
events-series-vc2020 = Ciclo de videoconferências: o papel da formação profissional em resposta à crise da COVID-19 (2020)
events-not-yet = Inscrição, presença, estatísticas, calendários e certificados ainda não estão disponíveis.
col-number = N.º
col-date = Data
col-title = Título
session-number = Sessão { $n }
session-channels = Canais
session-no-resources = Ainda não há recursos vinculados a esta sessão.
channel-zoom = Zoom
channel-facebook-live = Facebook Live
channel-youtube-live = YouTube Live
channel-teams = Microsoft Teams
channel-other = Outro canal (ver as notas)

## Shared by edit forms
record-changed-meanwhile = Alguém salvou este registro depois que você abriu o formulário. Suas alterações estão abaixo, não salvas: confira a versão atual (histórico) e salve novamente para manter as suas.
file-remove = Remover
## Store error codes (faro_store::ERROR_CODES)
err-code-not_found = Este registro não existe ou não é mais público.
err-code-conflict = Alguém alterou este registro depois que você começou: nada foi salvo. Confira a versão atual e tente novamente.
err-code-invalid = Alguns valores não são válidos: nada foi salvo.
err-code-unknown_reference = { $field } “{ $target }” não existe ou foi excluído: nada foi salvo.
err-code-rule_broken = Esta alteração não é permitida no estado atual do registro: nada foi salvo.
err-code-internal = Algo deu errado do nosso lado: nada foi salvo. Tente novamente mais tarde.
ref-field-institution = A instituição
ref-field-measure = A medida
ref-field-session = A sessão

data-title = Dados abertos
data-intro = Tudo o que o observatório, a base de conhecimento e o buscador de cursos publicam, em arquivos que qualquer pessoa pode baixar, ler com qualquer ferramenta e reutilizar. Os arquivos trazem sempre os dados atuais; uma versão congelada nunca muda e pode ser citada.
data-licence = Licença:
data-last-change = Última mudança nos dados:
data-file = Arquivo
data-holds = O que contém
data-format = Formato
data-file-courses-csv = Os cursos do buscador, uma linha por edição (um curso sem edições ocupa uma linha).
data-file-codebook-csv = O livro de códigos com que as medidas são codificadas: códigos, códigos superiores, rótulos e descrições em três idiomas.
data-file-codebook-json = O mesmo livro de códigos em JSON.
data-file-measures-csv = As medidas publicadas do observatório, uma linha por medida.
data-file-measures-json = As mesmas medidas em JSON.
data-file-measures-changes-csv = Cada mudança de cada campo de cada medida: quando, o quê, antes e depois, por quê e quem (um nome ou um papel, nunca um endereço de e-mail).
data-file-resources-csv = As publicações, guias, protocolos e recursos didáticos da base de conhecimento.
data-file-datapackage-json = O pacote de dados Frictionless que descreve estes arquivos, suas colunas e a licença.
data-spreadsheets = Nos arquivos CSV, uma célula cujo texto começa com =, +, -, @, uma tabulação ou um retorno de carro recebe mais um apóstrofo na frente, para que uma planilha a mostre como texto em vez de executá-la como fórmula; as importações do Faro o removem.
data-releases-intro = Cópias congeladas de todos os arquivos, guardadas byte a byte: cite uma versão para remeter aos dados como eram.
data-no-releases = Ainda não há versões congeladas.
data-releases-json = As versões em JSON
corrections-feed-entry = Correção n.º { $id } da medida { $measure }
obs-feed = Feed Atom de medidas novas e alteradas
corrections-feed = Feed Atom de correções aceitas
date-month-year = { $month } de { $year }
history-yes = sim
history-no = não
reason-demo = dados de demonstração tirados do relatório da série de 2020
reason-correction = correção n.º { $id }
reason-import = importação de
reason-harvest = coleta de
reason-scheduled-harvest = coleta programada de
facet-more = { $count ->
    [0] Ver mais 0 valores
    [one] Ver mais 1 valor
   *[other] Ver mais { $count } valores
}
