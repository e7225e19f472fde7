"""The secondments app's hooks for higher apps (docs/architecture.md: a lower app offers a hook).

`secondment_moved(sender=Secondment, secondment=..., move=Secondment.Move, actor=...)` is sent by
`services.make_move` inside its transaction, after the secondment is saved: a receiver's writes
commit or roll back with the move (the preparation app makes the checklist when preparing starts).
"""

from django.dispatch import Signal

secondment_moved = Signal()
