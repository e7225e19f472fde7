"""The priority engine's problem messages in the reader's language.

The engine (`priorities/engine/`) imports nothing of Django, so it cannot translate: it writes each
message in English as an `engine.errors.Text`, which keeps the template (marked with the engine's
own `gettext_noop`, so makemessages puts it in the catalogues) and its parameters. The app says it
in the reader's language here, where every problem is shown (`views._errors`). A message the engine
writes as a plain string is shown as written.
"""

from django.utils.translation import gettext

from .engine.errors import Text


def translated(message):
    """`message` in the current language: a Text's template translated and filled in (its Text
    parameters, such as hints, translated too); any other message as it is."""
    if not isinstance(message, Text):
        return message
    params = {name: translated(value) for name, value in message.params.items()}
    return gettext(message.template) % params if params else gettext(message.template)
