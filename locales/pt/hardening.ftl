# Endurecimento (issue 17): recusas e limites.
login-bad-next = O link que o trouxe aqui aponta para fora deste site, por isso não foi seguido. Entre novamente para ir à página inicial.
