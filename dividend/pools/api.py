from ninja import Router, Schema

from dividend.common.api import error_responses

from .models import Pool

router = Router(tags=["pools"])


class PoolOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    headcount: int


@router.get("", response={200: list[PoolOut], **error_responses(401)})
def list_pools(request):
    """Pools the user works with (all of them at national level)."""
    return list(Pool.objects.visible_to(request.user))
