# Endurecimento (issue 17): recusas e limites.
login-bad-next = O link que o trouxe aqui aponta para fora deste site, por isso não foi seguido. Entre novamente para ir à página inicial.
password-revoke-tokens = Revogar também os meus tokens de API (os programas que os usam deixam de funcionar até receberem um novo)
password-tokens-revoked = { $count ->
    [0] { $count } tokens de API foram revogados.
    [one] 1 token de API foi revogado.
   *[other] { $count } tokens de API foram revogados.
}
reset-throttled = Pedidos demais de nova senha a partir da sua conexão. Tente novamente em dez minutos.
