"""A mail backend for unit tests that fails the way SMTP servers fail, then delivers."""

from django.core.mail.backends.locmem import EmailBackend


class ScriptedEmailBackend(EmailBackend):
    """Raises the queued errors, one per send, then keeps messages in mail.outbox like locmem."""

    errors: list[Exception] = []
    timeouts: list = []

    def __init__(self, *args, timeout=None, **kwargs):
        ScriptedEmailBackend.timeouts.append(timeout)
        super().__init__(*args, **kwargs)

    def send_messages(self, messages):
        if ScriptedEmailBackend.errors:
            raise ScriptedEmailBackend.errors.pop(0)
        return super().send_messages(messages)
