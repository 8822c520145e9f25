# Endurecimiento (issue 17): rechazos y límites.
login-bad-next = El enlace que lo trajo aquí apunta fuera de este sitio, por eso no se siguió. Vuelva a ingresar para ir a la página de inicio.
