"""Targets per year and pool (officers deployed, women, organisations, French speakers) and the monthly snapshots of the secondments they are measured against."""
