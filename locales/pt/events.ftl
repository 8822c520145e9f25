# Ciclos de eventos, inscrição e e-mails (issue 12).
events-upcoming = Próximas sessões
events-none-upcoming = Ainda não há sessões programadas.
events-series = Ciclos
events-past = Sessões realizadas
series-organiser = Organização
series-hashtag = Hashtag
series-calendar = Calendário
series-subscribe = Assinar o ciclo (.ics)
series-figures = Números informados
series-figure = Número
series-value = Valor
series-source = Fonte
series-figures-note = Números como a fonte os informa, não medidos pelo Faro.
series-presenters = Apresentadores
figure-sessions = Sessões realizadas
figure-people-per-session = Pessoas por sessão
figure-people-total = Pessoas em todo o ciclo
figure-institutions = Instituições e organismos participantes
figure-countries = Países
figure-presenting-organisations = Organizações que apresentaram
session-when = Quando
session-time-unknown = o horário não é conhecido
session-your-time = No seu fuso horário
session-duration = Duração
session-status = Situação
session-topics = Temas
session-add-calendar = Adicionar à minha agenda (.ics)
session-show-in-zone = Mostrar o horário no fuso
session-show = Mostrar
session-cancelled-notice = Esta sessão foi cancelada.
session-status-scheduled = Programada
session-status-rescheduled = Reprogramada
session-status-cancelled = Cancelada
session-status-held = Realizada
session-new = Nova sessão
session-edit = Editar a sessão
session-join-private = Dados de acesso (enviados só às pessoas inscritas confirmadas; nunca publicados)
session-topics-hint = Códigos do livro de códigos separados por espaços, p. ex. C4 E1.
session-field-id = Identificador
session-field-series = Ciclo
session-field-number = Número
session-field-date = Data
session-field-start-time = Horário de início
session-field-time-zone = Fuso horário (IANA, p. ex. America/Sao_Paulo)
session-field-duration-minutes = Duração (minutos)
session-field-original-language = Idioma original
session-field-title = Título
session-field-description = Descrição
session-field-topics = Temas
session-field-capacity = Vagas
session-field-status = Situação
session-field-channels = Canais
session-field-facebook-url = Endereço do Facebook Live
session-field-zoom-url = Link do Zoom
session-field-zoom-meeting-id = ID da reunião do Zoom
session-field-zoom-passcode = Senha do Zoom
session-field-notes = Notas
capacity-unlimited = sem limite
register-title = Inscrição
register-series = Inscrever-se em todas as próximas sessões do ciclo
register-full = A sessão está lotada: ao se inscrever, você entra na lista de espera e será avisado quando abrir uma vaga.
register-closed = As inscrições para esta sessão estão encerradas.
register-field-name = Nome
register-field-email = E-mail
register-field-institution = Instituição
register-field-institution-text = Instituição (se não estiver na lista)
register-field-country = País
register-field-role = Cargo
register-field-lang = Idioma dos e-mails
register-institution-other = Não está na lista
register-consent = Concordo que a rede guarde estes dados para gerir a minha inscrição.
register-privacy = Finalidade: inscrevê-lo, enviar a confirmação, os dados de acesso e os lembretes, e contar a presença. Seus dados nunca são publicados. { $count ->
        [0] São apagados { $count } dias depois da última sessão em que se inscreveu
        [one] São apagados { $count } dia depois da última sessão em que se inscreveu
       *[other] São apagados { $count } dias depois da última sessão em que se inscreveu
    }; você pode vê-los, corrigi-los, baixá-los ou apagá-los a qualquer momento pelo link dos seus e-mails.
register-send = Inscrever-me
register-check-mail = Veja o seu e-mail ({ $email }): confirme a inscrição com o link que enviamos. Sem confirmação, ela expira em 48 horas.
register-too-many = Inscrições demais a partir desta conexão. Tente de novo em alguns minutos.
err-field-consent-required = é preciso concordar para se inscrever
err-field-invalid-time = deve ser um horário HH:MM
err-field-invalid-time-zone = deve ser um fuso horário IANA como America/Sao_Paulo
err-field-out-of-range = está fora do intervalo permitido
err-field-not-a-number = deve ser um número
err-field-invalid-hashtag = só pode ter letras, dígitos e _
err-code-registration_closed = As inscrições para esta sessão estão encerradas (foi cancelada, já foi realizada ou já começou).
err-code-throttled = Uma mensagem foi enviada a esta sessão há menos de dez minutos. Aguarde, por favor.
ref-field-series = Ciclo
ref-field-organiser = Organizador
registrations-title = Minhas inscrições
registrations-find = Já se inscreveu? Receba o link das suas inscrições
registrations-link-explain = Digite o e-mail com que se inscreveu: enviaremos um link para as suas inscrições.
registrations-link-send = Enviar o link
registrations-link-sent = Se esse endereço estiver inscrito, o link está a caminho.
registrations-link-invalid = Este link não é válido ou expirou. Peça um novo na página de inscrições.
registrations-confirm-explain = Você tem inscrições aguardando a sua confirmação.
registrations-confirm = Confirmar a minha inscrição
registrations-state = Situação
registrations-cancel = Cancelar
registrations-your-data = Seus dados
registrations-save = Salvar meus dados
registrations-export = Baixar meus dados (JSON)
registrations-erase-sure = Quero que meus dados sejam apagados (minhas inscrições são canceladas)
registrations-erase = Apagar meus dados
registrations-erase-confirm = Marque a caixa para confirmar a exclusão.
registrations-erased = Seus dados foram apagados. As contagens das sessões mantêm a sua inscrição sem o seu nome.
registration-state-pending = Aguarda confirmação
registration-state-confirmed = Confirmada
registration-state-waiting = Lista de espera
registration-state-cancelled = Cancelada
registration-state-expired = Expirada
registrants-title = Pessoas inscritas
registrants-csv = Baixar em CSV
message-title = Mensagem às pessoas inscritas confirmadas
message-subject = Assunto
message-body = Mensagem
message-hint = Enviada por e-mail a cada pessoa inscrita confirmada; no máximo uma mensagem a cada dez minutos; fica no histórico da sessão.
message-send = Enviar
message-required = São necessários um assunto e uma mensagem.
message-queued = { $n ->
    [0] A mensagem está a caminho de { $n } pessoas inscritas.
    [one] A mensagem está a caminho de uma pessoa inscrita.
   *[other] A mensagem está a caminho de { $n } pessoas inscritas.
}
jobs-title = Fila de e-mails e lembretes
jobs-kind = Tipo
jobs-state = Situação
jobs-run-at = Para
jobs-attempts = Tentativas
jobs-note = Nota
join-zoom = Link do Zoom
join-meeting-id = ID da reunião
join-passcode = Senha
mail-offset-24h = amanhã
mail-offset-1h = daqui a uma hora
mail-footer = Para ver, cancelar ou apagar as suas inscrições: { $link }
mail-confirm-subject = Confirme a sua inscrição: { $session }
mail-confirm-body = Olá, { $name }:

    Confirme a sua inscrição em “{ $session }” ({ $when }) abrindo este link e clicando em “Confirmar”:
    { $link }

    Sem confirmação, a inscrição expira em 48 horas. Se você não se inscreveu, ignore esta mensagem.
mail-link-subject = Suas inscrições
mail-link-body = Olá, { $name }:

    Este é o link para as suas inscrições:
    { $link }
mail-confirmed-subject = Inscrição confirmada: { $session }
mail-confirmed-body = Olá, { $name }:

    Sua vaga em “{ $session }” ({ $when }) está confirmada. O convite vai em anexo.
mail-waiting-subject = Na lista de espera: { $session }
mail-waiting-body = Olá, { $name }:

    “{ $session }” ({ $when }) está lotada. Você está na lista de espera e será avisado assim que abrir uma vaga.
mail-promoted-subject = Abriu uma vaga: { $session }
mail-promoted-body = Olá, { $name }:

    Abriu uma vaga e ela é sua: “{ $session }” ({ $when }). O convite vai em anexo.
mail-cancelled-subject = Inscrição cancelada: { $session }
mail-cancelled-body = Olá, { $name }:

    Sua inscrição em “{ $session }” foi cancelada.
mail-reminder-subject = Lembrete: { $session }, { $offset }
mail-reminder-body = Olá, { $name }:

    “{ $session }” começa { $offset } ({ $when }).
mail-rescheduled-subject = Novo horário: { $session }
mail-rescheduled-body = Olá, { $name }:

    “{ $session }” tem um novo horário: { $when }. O convite atualizado vai em anexo.
mail-session-cancelled-subject = Sessão cancelada: { $session }
mail-session-cancelled-body = Olá, { $name }:

    “{ $session }” ({ $when }) foi cancelada. Lamentamos.
mail-message-subject = { $subject }
mail-message-body = Olá, { $name }:

    Uma mensagem sobre “{ $session }”:

    { $body }
profile-presented = Apresentou nos ciclos de eventos
home-upcoming = Próximas sessões
search-type-series = Ciclo de eventos
series-new = Novo ciclo de eventos
series-edit = Editar ciclo
series-add = Adicionar um ciclo
series-edit-link = Editar este ciclo
series-field-id = Identificador
series-field-original-language = Idioma original
series-field-title = Título
series-field-description = Descrição
series-field-organiser = Instituição organizadora
series-field-hashtag = Hashtag (sem #)
series-field-certificate-policy = Política de certificados (que presença dá direito a certificado)
series-field-figures = Números informados
series-field-presenters = Apresentadores
series-field-series = Ciclo
series-field-session = Sessão
series-field-institution = Instituição
series-field-name = Nome da pessoa
series-field-role = Cargo
series-field-reason = Motivo da alteração (fica no histórico)
series-figures-form-hint = Apenas números que uma fonte informa, cada um com a sua fonte (por exemplo um relatório e a sua página). Deixe ambos vazios se não houver número.
series-presenters-form-hint = Uma instituição do diretório ou o nome de uma pessoa. Quem apresentou numa sessão a indica; deixe a sessão vazia para todo o ciclo. Deixe uma linha vazia para removê-la.
series-presenter = Apresentador
series-whole = Todo o ciclo
sessions-import = Importar sessões
sessions-import-help = Envie as sessões em CSV (UTF-8) ou XLSX (primeira folha), uma linha por sessão. Tudo ou nada: se uma linha estiver errada, todos os problemas são listados e nada é guardado. Importar de novo o mesmo arquivo não muda nada; um novo horário ou um cancelamento é avisado aos inscritos.
sessions-import-columns = Colunas (a partir de “status”, opcionais):
sessions-import-file = Arquivo (CSV ou XLSX)
sessions-import-submit = Importar
sessions-import-refused = O arquivo não foi importado; nada foi guardado. Corrija:
sessions-import-done = Importado. Criadas: { $created } · atualizadas: { $updated } · sem alterações: { $unchanged }
sessions-import-line = Linha { $line }: { $problem }
import-bad-xlsx = Não foi possível ler a planilha. Guarde-a de novo como XLSX ou CSV.
register-privacy-kept = Finalidade: inscrevê-lo, enviar a confirmação, os dados de acesso e os lembretes, e contar a presença. Seus dados nunca são publicados. São conservados até que você ou um coordenador os apague; você pode vê-los, corrigi-los, baixá-los ou apagá-los a qualquer momento pelo link dos seus e-mails.
