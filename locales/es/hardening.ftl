# Endurecimiento (issue 17): rechazos y límites.
login-bad-next = El enlace que lo trajo aquí apunta fuera de este sitio, por eso no se siguió. Vuelva a ingresar para ir a la página de inicio.
password-revoke-tokens = Revocar también mis tokens de API (los programas que los usan dejan de funcionar hasta recibir uno nuevo)
password-tokens-revoked = { $count ->
    [0] Se revocaron { $count } tokens de API.
    [one] Se revocó 1 token de API.
   *[other] Se revocaron { $count } tokens de API.
}
reset-throttled = Demasiadas solicitudes de contraseña nueva desde su conexión. Vuelva a intentarlo en diez minutos.
