#!/bin/sh
# Container entry point: bring the schema and reference data up to date, then run the command
# (gunicorn by default). DIVIDEND_MIGRATE=0 skips the first step (e.g. for a second replica).
set -eu
if [ "${DIVIDEND_MIGRATE:-1}" = "1" ]; then
    python manage.py migrate --noinput
    python manage.py load_reference_data
    python manage.py load_missions
fi
exec "$@"
