"""The access oracle's pages of the mission registry (public facts: no officer appears)."""

from robustness.pages.registry import gated, page

# --- Missions (public registry facts: no officer appears) --------------------------------------------

@page("missions/")
def missions(b, n, rule):
    return gated("/missions/", True)


@page("missions/<int:pk>/")
def mission(b, n, rule):
    return gated(f"/missions/{b.position.mission_id}/", True)


@page("missions/positions/")
def positions(b, n, rule):
    return gated("/missions/positions/", True)


@page("missions/positions/<int:pk>/")
def position(b, n, rule):
    return gated(f"/missions/positions/{b.position.pk}/", True)


@page("GET /api/missions")
def api_missions(b, n, rule):
    return gated("/api/missions", True)


@page("GET /api/missions/{mission_id}")
def api_mission(b, n, rule):
    return gated(f"/api/missions/{b.position.mission_id}", True)


@page("GET /api/positions")
def api_positions(b, n, rule):
    return gated("/api/positions", True)


@page("GET /api/positions/{position_id}")
def api_position(b, n, rule):
    return gated(f"/api/positions/{b.position.pk}", True)
