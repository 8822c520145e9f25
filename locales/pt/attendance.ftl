# Presença, análise de audiência e certificados (issue 13).
att-title = Presença
att-analytics = Análise de audiência
att-upload = Importar um relatório do Zoom
att-file = Arquivo do relatório (CSV como o Zoom fornece)
att-tz = Fuso horário dos horários do relatório
att-upload-hint = O relatório de participantes da reunião ou o de participantes do webinar, como baixado do Zoom (CSV ou «texto Unicode» do Excel). Os horários são lidos no fuso indicado. O relatório mais recente substitui a presença da sessão; importar de novo o mesmo arquivo não muda nada.
att-import = Importar
att-imports = Importações
att-no-imports = Nenhum relatório importado ainda.
att-when = Quando
att-kind = Relatório
att-kind-participants = Participantes da reunião
att-kind-webinar_attendees = Participantes do webinar
att-rows = Linhas
att-people = Pessoas
att-added = Adicionadas
att-changed = Alteradas
att-removed = Removidas
att-problems = Nada foi importado. Problemas encontrados:
att-tz-required = Informe o fuso horário dos horários do relatório (um nome IANA como America/Sao_Paulo).
att-unchanged = { $count ->
    [0] Já importado: 0 pessoas, nada mudou.
    [one] Já importado: 1 pessoa, nada mudou.
   *[other] Já importado: { $count } pessoas, nada mudou.
}
att-people-count = { $count ->
    [0] 0 pessoas
    [one] 1 pessoa
   *[other] { $count } pessoas
}
att-imported = Importado: { $people } ({ $attended } presentes; { $added } adicionadas, { $changed } alteradas, { $removed } removidas; { $email } por e-mail, { $name } por nome, { $guests } convidados).
att-conflict = Outra pessoa alterou estes números desde que você abriu o formulário. Abra a página de novo e repita a alteração.
att-facebook = Números do Facebook Live
att-facebook-hint = O Facebook não mostra pessoas: copie os totais que as estatísticas mostram para o vídeo, com o dia em que os leu e onde.
att-facebook-save = Salvar os números
att-facebook-saved = Os números do Facebook foram salvos.
att-facebook-number = Os números do Facebook devem ser inteiros.
att-fb-peak-live = Pico de espectadores ao vivo
att-fb-total-views = Visualizações totais
att-fb-unique-viewers = Espectadores únicos
att-fb-minutes-viewed = Minutos assistidos
att-fb-read-on = Data da leitura
att-fb-source = Fonte
att-fb-err-out-of-range = fora do intervalo
att-fb-err-required = obrigatório
att-fb-err-above-unique-viewers = não pode superar os espectadores únicos
att-fb-err-invalid-date = não é uma data (AAAA-MM-DD)
att-fb-err-too-long = longo demais
att-history = Histórico
att-field = Campo
att-before = Antes
att-after = Depois
att-people-title = Pessoas do relatório
att-match = Identificada como
att-registrant = inscrita
att-guest = convidada
att-minutes = Minutos
att-first-join = Primeira entrada
att-last-leave = Última saída
att-no-show = não compareceu
att-erased = apagada
att-registered = Inscritas
att-confirmed = Confirmadas
att-attended = Presentes (Zoom)
att-no-shows = Ausentes no relatório
att-guests = Presentes não inscritos (convidados)
att-confirmed-absent = Confirmadas mas ausentes
att-no-show-rate = Taxa de ausência (das confirmadas)
att-minutes-median = Minutos de presença, mediana
att-minutes-total = Minutos de presença, total
att-reach = Alcance (limite superior)
att-reach-note = O alcance soma as pessoas únicas do Zoom e os espectadores únicos do Facebook: é um limite superior, pois a mesma pessoa pode ter assistido pelos dois.
att-bin = { $from }–{ $to } min
att-bin-open = { $from } min ou mais
att-chart-minutes = Minutos de presença
att-chart-per-session = Presença por sessão
att-chart-sessions-attended = De quantas sessões cada pessoa participou
att-chart-by-country = Participantes por país
att-chart-by-role = Participantes por função
att-session = Sessão
att-sessions-attended = Sessões com presença
att-country = País
att-role = Função
att-unknown = não informado
att-unique-people = Pessoas únicas
att-returning = Participantes que voltaram (2 sessões ou mais)
att-institutions = Instituições alcançadas
att-countries = Países alcançados
att-csv = Baixar em CSV
att-no-data = Ainda não há dados.
aud-title = Audiência
aud-measured = Presença medida
aud-none = Nenhuma presença foi importada para esta série.
aud-small-note = Números menores que 5 aparecem como «menos de 5», para que ninguém possa ser identificado.
aud-reported = Números relatados
aud-staff-attended = Equipe que participou das séries de eventos
aud-fewer-than = menos de { $count }
cert-admin-title = Certificados
cert-rule = Regra dos certificados
cert-min-share = Parte mínima da duração de uma sessão (%)
cert-series-sessions = Sessões para um certificado da série (0: nenhum)
cert-rule-save = Salvar a regra
cert-rule-saved = A regra foi salva.
cert-rule-invalid = A parte deve estar entre 1 e 100 e o número de sessões entre 0 e 1000.
cert-issue-title = Emitir e enviar
cert-issue-hint = Emite um certificado para cada participante inscrito que cumpre a regra e ainda não tem um.
cert-issue = Emitir certificados
cert-mail-hint = Envia por e-mail cada certificado válido ainda não enviado, num só lote espaçado (no máximo um lote a cada dez minutos).
cert-mail = Enviar os certificados por e-mail
cert-issued = { $count ->
    [0] 0 certificados emitidos.
    [one] 1 certificado emitido.
   *[other] { $count } certificados emitidos.
}
cert-mailed = { $count ->
    [0] 0 certificados na fila de envio.
    [one] 1 certificado na fila de envio.
   *[other] { $count } certificados na fila de envio.
}
cert-no-rule = Defina primeiro a regra de certificados da série.
cert-list = Certificados emitidos
cert-code-col = Código de verificação
cert-status = Situação
cert-series-scope = série inteira
cert-reason = Motivo
cert-revoke = Revogar
cert-reissue = Reemitir
cert-revoked-done = O certificado foi revogado.
cert-reissued-done = O certificado foi reemitido com um código novo.
cert-status-refused = Este certificado não pode mudar assim (já foi revogado ou substituído).
cert-title = Certificado de participação
cert-certifies = Certificamos que
cert-what-session = participou da sessão «{ $session }» da série «{ $series }»
cert-sessions-count = { $count ->
    [0] 0 sessões
    [one] 1 sessão
   *[other] { $count } sessões
}
cert-what-series = participou de { $sessions } da série «{ $series }»
cert-when = Data: { $when } · Tempo de presença: { $minutes } minutos
cert-organiser = Organizado por { $organiser }
cert-code = Código de verificação: { $code }
cert-verify-at = Verifique em { $url }
cert-mail-subject = Seu certificado de participação
cert-mail-body = Olá, { $name }:

    Segue em anexo o seu certificado: você { $what }.

    Código de verificação: { $code }
    Qualquer pessoa pode conferi-lo em { $url }

    Se o seu nome estiver escrito errado, corrija-o na sua página pessoal: o certificado é reemitido com o nome certo.
verify-title = Verificar um certificado
verify-check = Verificar
verify-unknown = Nenhum certificado tem este código.
verify-status-valid = Certificado válido
verify-status-revoked = Este certificado foi revogado
verify-status-replaced = Este certificado foi substituído por um novo
verify-erased = (os dados da pessoa foram apagados a seu pedido)
verify-issued-to = Emitido para
verify-for = Por
verify-when = Data
verify-organiser = Organizador
verify-issued = Emitido em
verify-replaced-by = Substituído por
mine-title = Meus certificados
mine-back = Minhas inscrições
mine-none = Você ainda não tem certificados.
mine-download = Baixar (PDF)
mine-rename-hint = Seu nome está escrito errado? Corrija-o na página das suas inscrições: seus certificados são reemitidos com o nome corrigido, e os códigos antigos indicam que foram substituídos.
