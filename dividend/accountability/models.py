"""Accountability: dashboards, the report to parliament, the dividend scorecard and portfolio planning. Reads every lower app."""
