"""manage.py rank_countries --model FILE_OR_NAME --home BEL --year 2023 --mc 10000 --out ranking.xlsx"""

import json
import os
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.common.exports import RENDERERS
from dividend.priorities import results, services
from dividend.priorities.engine import ModelFileError, shipped_model_names
from dividend.priorities.models import (
    PriorityModel,
    PriorityModelVersion,
    PriorityRun,
    installation_home_country,
)

FORMATS = (".xlsx", ".csv", ".pdf", ".json")


class Command(BaseCommand):
    help = ("Rank countries with a priority model and store the run. --model is a stored or shipped model name "
            "or a YAML file (a file is stored as a new version of the model with its id, unless --no-save).")

    def add_arguments(self, parser):
        parser.add_argument("--model", default="internal_security_default", help="model name or YAML file")
        parser.add_argument("--home", help="home country ISO3 (default: the model's)")
        parser.add_argument("--year", type=int, help="evaluate the model as of this year (latest data up to it)")
        parser.add_argument("--mc", type=int, default=0, help=f"Monte Carlo draws, 0-{services.MAX_DRAWS}")
        parser.add_argument("--method", default="dirichlet", choices=PriorityRun.Method.values)
        parser.add_argument("--seed", type=int)
        parser.add_argument("--label", default="")
        parser.add_argument("--out", help=f"output file; format by extension: {', '.join(FORMATS)}")
        parser.add_argument("--top", type=int, default=10, help="rows of the ranking printed (0: none)")
        parser.add_argument("--no-save", action="store_true", help="do not store the run")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **o):
        out = self._check_out(o["out"])
        try:
            services.check_run_options(year=o["year"], draws=o["mc"], method=o["method"], seed=o["seed"])
            home = services.check_home_country(o["home"]) if o["home"] else None
        except ValidationError as exc:
            raise CommandError(" ".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
        with audit_context(channel="cli"):
            version, save_version = self._version(o["model"])
            bar = self._progress_bar(o["mc"], o["no_progress"] or o["verbosity"] == 0)
            try:
                # Compute first, store after: a model file that cannot be computed changes nothing.
                run, computed = services.start_run(
                    actor=None, version=version, home_country=home, year=o["year"], draws=o["mc"],
                    method=o["method"], seed=o["seed"], label=o["label"], save=False,
                    progress=bar.progress if bar else None)
            except ModelFileError as exc:
                raise CommandError(_problems(exc, "cannot compute the model")) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            finally:
                if bar:
                    bar.close()
            if not o["no_save"]:
                run.model_version = save_version()
                services.store_run(actor=None, run=run, computed=computed)
        rows = [c for c in computed.countries if c.rank]
        rows.sort(key=lambda c: c.rank)
        run.dimensions = computed.dimensions
        if out:
            self._write(out, run, rows, computed)
        self._report(run, rows, computed, o["top"], out)

    # ------------------------------------------------------------------------------------------ steps

    def _check_out(self, out):
        if not out:
            return None
        path = Path(out).expanduser()
        if path.suffix.lower() not in FORMATS:
            raise CommandError(f"--out must end in one of {', '.join(FORMATS)} (got {path.name!r}).")
        parent = path.resolve().parent
        if not parent.is_dir():
            raise CommandError(f"Cannot write {path}: directory {parent} does not exist.")
        if (path.exists() and not os.access(path, os.W_OK)) or not os.access(parent, os.W_OK):
            raise CommandError(f"Cannot write {path}: permission denied.")
        return path

    def _version(self, spec):
        """(version to compute, function that returns the stored version to attach the run to).

        A YAML file is validated now and stored (as a new model, or a new version of the model with its
        id) only when the run is stored.
        """
        path = Path(spec).expanduser()
        if path.suffix.lower() in (".yaml", ".yml") or path.exists():
            if not path.is_file():
                raise CommandError(f"Model file {path} does not exist.")
            text = path.read_text(encoding="utf-8")
            try:
                engine_model = services.validate_model_text(text)
            except ModelFileError as exc:
                raise CommandError(_problems(exc, f"invalid model file {path}")) from exc
            existing = PriorityModel.objects.with_current().filter(name=engine_model.id).first()
            model = existing or PriorityModel(
                name=engine_model.id, home_country=engine_model.home_country or installation_home_country())
            comment = f"from file {path.name} (rank_countries)"

            def save():
                if existing is None:
                    return services.create_model(actor=None, name=engine_model.id, text=text,
                                                 comment=comment).current_version
                return services.save_version(actor=None, model=existing, text=text, comment=comment)

            return PriorityModelVersion(model=model, number=0, text=text), save
        model = PriorityModel.objects.with_current().filter(name=spec).first()
        if model is None and spec in shipped_model_names():
            services.install_shipped_models(names=[spec])
            model = PriorityModel.objects.with_current().get(name=spec)
        if model is None:
            names = sorted(set(PriorityModel.objects.values_list("name", flat=True)) | set(shipped_model_names()))
            raise CommandError(f"Unknown model {spec!r}: give a YAML file or one of {', '.join(names)}.")
        return model.current_version, lambda: model.current_version

    def _progress_bar(self, draws, quiet):
        if not draws or quiet:
            return None
        return _Progress(draws)

    def _write(self, path, run, rows, computed):
        fmt = path.suffix.lower().lstrip(".")
        if fmt == "json":
            data = {
                "run": None if run.pk is None else run.pk, "model": run.model_version.model.name,
                "version": run.model_version.number, "home_country": run.home_country, "year": run.year,
                "draws": run.draws, "method": run.method, "seed": run.seed, "dimensions": computed.dimensions,
                "ranking": [{"rank": r.rank, "iso3": r.iso3, "name": r.name, "score": r.score,
                             "reliability": r.reliability, "missing_count": r.missing_count,
                             "dimension_scores": r.dimension_scores} for r in rows],
                "robustness": computed.robustness.rows() if computed.robustness else [],
            }
            content = json.dumps(data, indent=1, ensure_ascii=False).encode()
        else:
            kwargs = {"subtitle": _subtitle(run)} if fmt == "pdf" else {}
            response = RENDERERS[fmt](results.ranking_table(run, rows), path.stem, **kwargs)
            content = b"".join(response.streaming_content) if response.streaming else response.content
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from exc

    def _report(self, run, rows, computed, top, out):
        for r in rows[:top]:
            self.stdout.write(f"{r.rank:4d}  {r.iso3}  {r.score:.4f}  {r.name}")
        where = f"run {run.pk} stored" if run.pk else "not stored (--no-save)"
        self.stdout.write(self.style.SUCCESS(
            f"{len(rows)} countries ranked in {computed.duration:.2f} s; {where}" + (f"; written to {out}" if out else "")))


class _Progress:
    """A tqdm bar opened at the first Monte Carlo chunk (so the data loading before it is not counted)."""

    def __init__(self, total):
        self.total, self.bar = total, None

    def progress(self, done, total):
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="draw", desc="Monte Carlo", file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _subtitle(run):
    year = f", as of {run.year}" if run.year else ""
    return f"{run.model_version.model.name} v{run.model_version.number}, home {run.home_country}{year}"


def _problems(exc, what):
    lines = "\n".join(f"  line {p.line or '-'}: {p.path or '-'}: {p.message}" for p in exc.errors)
    return f"{what}: {len(exc.errors)} problem(s)\n{lines}"
