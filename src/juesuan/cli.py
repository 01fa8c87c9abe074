"""The `juesuan` command: extract, package, validate, site, serve, build (= all four)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import JuesuanError
from .settings import CACHE_DIR, PACKAGES_DIR, RECORD_CACHE, RECORDS_DIR, REPORTS_DIR, SITE_DIR


class Context:
    def __init__(self, debug: bool):
        self.debug = debug


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="juesuan")
@click.option("--debug", is_flag=True, help="Show full tracebacks for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """juesuan (决算): departmental final-accounts reports → open data → static site.

    Reads 部门决算 / 单位决算 reports (.txt, .docx, .pdf), turns each into a record whose
    every number points back to its source sentence, publishes Frictionless data packages,
    checks them, and builds a searchable MkDocs Material site.

    \b
    Example (everything, from the bundled sample reports):
      juesuan build
    """
    ctx.obj = Context(debug)


def _summary_line(outcome) -> str:
    name = Path(outcome.path).name
    if not outcome.ok:
        return f"FAILED  {name}: {outcome.error}"
    r = outcome.facts  # counts kept beside the record: the record itself is not decoded here
    return (
        f"ok      {name}: {r.department or '(department unknown)'} · "
        f"{r.fiscal_year or '(year unknown)'} · {r.figures} figures · "
        f"{r.line_items} line items · {r.tables} tables · {r.warnings} warnings"
    )


def cache_options(f):
    """--cache-dir / --no-cache, shared by the commands that extract."""
    f = click.option("--no-cache", is_flag=True,
                     help="Redo every step; neither use nor update the caches.")(f)
    f = click.option("--cache-dir", type=click.Path(path_type=Path), default=CACHE_DIR, show_default=True,
                     help="Folder for incremental-build caches (work for unchanged reports is reused).")(f)
    return f


def _record_cache(cache_dir: Path, no_cache: bool) -> Path | None:
    return None if no_cache else cache_dir / RECORD_CACHE


# In quiet mode (package, build) a count every this many reports, when there are more.
PROGRESS_EVERY = 500


def run_extract(paths: list[Path], out: Path | None, jobs: int | None, debug: bool, quiet: bool = False,
                cache_dir: Path | None = None):
    """Extract records; print one line per report (quiet: failures and a count); return the outcomes."""
    from .extract import extract_many, find_reports

    files = find_reports(paths)
    if not files:
        _fail("no report files found (looked for .txt, .docx, .pdf); give files or a folder, e.g. juesuan extract reports/")
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")

    seen = {"done": 0, "cached": 0}
    every = PROGRESS_EVERY if quiet and len(files) > PROGRESS_EVERY else 0

    def show(outcome) -> None:
        seen["done"] += 1
        seen["cached"] += outcome.cached
        if not quiet or not outcome.ok:
            click.echo(_summary_line(outcome), err=not outcome.ok)
        if debug and outcome.detail:
            click.echo(outcome.detail, err=True)
        if every and (seen["done"] % every == 0 or seen["done"] == len(files)):
            click.echo(f"      {seen['done']} of {len(files)} reports ({seen['cached']} unchanged, from the cache)")

    return extract_many(files, jobs=jobs, progress=show, cache_dir=cache_dir, out=out)


@cli.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=RECORDS_DIR, show_default=True,
              help="Folder for the records (<report file stem>.json).")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel workers (default: one per core).")
@cache_options
@click.pass_obj
def extract(obj: Context, reports: tuple[Path, ...], out: Path, jobs: int | None, cache_dir: Path,
            no_cache: bool) -> None:
    """Read reports and write one JSON record per report.

    REPORTS are report files (.txt, .docx, .pdf) or folders holding them (default: reports/).
    Each record lists every figure the report states with its source line and sentence,
    the 类/款/项 line items, the 附件 tables and the warnings. A manifest.csv next to the
    reports can state department, region, year and source URL.

    Records of reports that did not change since the last run (same file, same manifest row,
    same juesuan code) come from the cache in --cache-dir; --no-cache re-reads everything.

    Exits 1 when no report could be read at all.

    \b
    Example:
      juesuan extract reports/*.txt -o build/records
    """
    outcomes = run_extract(list(reports) or [REPORTS_DIR], out, jobs, obj.debug,
                           cache_dir=_record_cache(cache_dir, no_cache))
    ok = sum(o.ok for o in outcomes)
    click.echo(f"{ok} of {len(outcomes)} reports extracted → {out}/")
    if ok == 0:
        sys.exit(1)


@cli.command()
@click.option("--reports", "reports_dir", type=click.Path(path_type=Path), default=REPORTS_DIR, show_default=True,
              help="Folder of input reports (with an optional manifest.csv).")
@click.option("--packages", "packages_dir", type=click.Path(path_type=Path), default=PACKAGES_DIR, show_default=True,
              help="Folder to write the data packages into.")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel workers for extraction.")
@cache_options
@click.pass_obj
def package(obj: Context, reports_dir: Path, packages_dir: Path, jobs: int | None, cache_dir: Path,
            no_cache: bool) -> None:
    """Extract every report and write its Frictionless data package, plus the catalog.

    Writes datapackages/<slug>/ (datapackage.json, one CSV and one JSON per resource) for
    every report, and datapackages/catalog/ combining all reports with a build report that
    names every report that failed and why.

    \b
    Example:
      juesuan package --reports reports --packages datapackages
    """
    from .package import build_packages

    outcomes = run_extract([reports_dir], None, jobs, obj.debug, quiet=True,
                           cache_dir=_record_cache(cache_dir, no_cache))
    summary = build_packages(outcomes, packages_dir, reports_root=reports_dir,
                             cache_dir=None if no_cache else cache_dir)
    click.echo(summary.describe())


@cli.command()
@click.option("--packages", "packages_dir", type=click.Path(path_type=Path), default=PACKAGES_DIR, show_default=True,
              help="Folder holding the data packages.")
@cache_options
@click.pass_obj
def validate(obj: Context, packages_dir: Path, cache_dir: Path, no_cache: bool) -> None:
    """Validate every data package and list the reports' own inconsistencies.

    Runs frictionless validation on each package (any error exits 1) and prints the
    accounting-check findings (parts that do not add up, shares that disagree, names that
    change): those are published as data, they never make this command fail.

    \b
    Example:
      juesuan validate --packages datapackages
    """
    from .checks.validate import validate_packages

    result = validate_packages(packages_dir, echo=click.echo, cache_dir=None if no_cache else cache_dir)
    if result.errors:
        sys.exit(1)


@cli.command()
@click.option("--packages", "packages_dir", type=click.Path(path_type=Path), default=PACKAGES_DIR, show_default=True,
              help="Folder holding the data packages (the site reads nothing else).")
@click.option("--site-dir", type=click.Path(path_type=Path), default=SITE_DIR, show_default=True,
              help="Where the built site goes.")
@cache_options
@click.pass_obj
def site(obj: Context, packages_dir: Path, site_dir: Path, cache_dir: Path, no_cache: bool) -> None:
    """Generate the site pages from the data packages and build the static site.

    \b
    Example:
      juesuan site --packages datapackages --site-dir build/site
    """
    from .site import build_site

    build_site(packages_dir, site_dir, echo=click.echo, cache_dir=cache_dir, incremental=not no_cache)


@cli.command()
@click.option("--packages", "packages_dir", type=click.Path(path_type=Path), default=PACKAGES_DIR, show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.pass_obj
def serve(obj: Context, packages_dir: Path, port: int) -> None:
    """Preview the site on localhost, rebuilding generated pages when packages change.

    \b
    Example:
      juesuan serve --port 8000
    """
    from .site import serve_site

    serve_site(packages_dir, port=port, echo=click.echo)


@cli.command()
@click.option("--reports", "reports_dir", type=click.Path(path_type=Path), default=REPORTS_DIR, show_default=True,
              help="Folder of input reports (with an optional manifest.csv).")
@click.option("--packages", "packages_dir", type=click.Path(path_type=Path), default=PACKAGES_DIR, show_default=True,
              help="Folder for the data packages.")
@click.option("--site-dir", type=click.Path(path_type=Path), default=SITE_DIR, show_default=True,
              help="Where the built site goes.")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel workers for extraction.")
@click.option("--no-site", is_flag=True, help="Stop after packaging and validation.")
@click.option("--timings", type=click.Path(path_type=Path), default=None,
              help="Also write the seconds each stage took to this JSON file (used by scripts/bench.py).")
@cache_options
@click.pass_obj
def build(obj: Context, reports_dir: Path, packages_dir: Path, site_dir: Path, jobs: int | None, no_site: bool,
          timings: Path | None, cache_dir: Path, no_cache: bool) -> None:
    """Everything: extract → package → validate → site.

    Prints each stage with the seconds it took, then a summary: how many reports were
    published and which failed, and why.

    \b
    Example (your own reports, without touching the repository):
      juesuan build --reports ~/my-reports --packages /tmp/pk --site-dir /tmp/site
    """
    import json

    from .checks.validate import validate_packages
    from .package import build_packages

    seconds: dict[str, float] = {}
    t_start = time.perf_counter()

    def stage(name: str, label: str):
        click.echo(label)
        return name, time.perf_counter()

    def done(mark) -> None:
        name, t0 = mark
        seconds[name] = round(time.perf_counter() - t0, 3)
        click.echo(f"      {name}: {seconds[name]:.1f} s")

    mark = stage("extract", f"[1/4] extract  {reports_dir}/")
    outcomes = run_extract([reports_dir], None, jobs, obj.debug, quiet=True,
                           cache_dir=_record_cache(cache_dir, no_cache))
    done(mark)
    mark = stage("package", f"[2/4] package  → {packages_dir}/")
    summary = build_packages(outcomes, packages_dir, reports_root=reports_dir,
                             cache_dir=None if no_cache else cache_dir)
    done(mark)
    validate_cache = None if no_cache else cache_dir
    changed = len(summary.written) - summary.unchanged
    beside = None
    if no_site or changed > BESIDE_UP_TO:
        mark = stage("validate", f"[3/4] validate {packages_dir}/")
        result = validate_packages(packages_dir, echo=None, cache_dir=validate_cache)
        done(mark)
        click.echo(result.describe())
    else:
        # A rebuild: the site reads the packages, never the validation; both run at once (see _Beside).
        click.echo(f"[3/4] validate {packages_dir}/ ({changed} packages changed: beside the site, at low priority)")
        beside = _Beside(validate_packages, packages_dir, echo=None, cache_dir=validate_cache)
    if not no_site:
        try:
            mark = stage("site", f"[4/4] site     → {site_dir}/")
            from .site import build_site

            site_timings = build_site(packages_dir, site_dir, echo=click.echo, cache_dir=cache_dir,
                                      incremental=not no_cache)
            done(mark)
        except BaseException:
            if beside is not None:
                beside.stop()
            raise
        if isinstance(site_timings, dict):
            seconds.update({f"site_{k}": v for k, v in site_timings.items()})
    if beside is not None:
        waited = time.perf_counter()
        result, seconds["validate"] = beside.result()
        seconds["validate_after_site"] = round(time.perf_counter() - waited, 3)
        click.echo(f"      validate: {seconds['validate']:.1f} s ({seconds['validate_after_site']:.1f} s after the site)")
        click.echo(result.describe())
    seconds["total"] = round(time.perf_counter() - t_start, 3)
    click.echo(summary.describe())
    click.echo(f"done in {seconds['total']:.1f} s")
    if timings is not None:
        timings.parent.mkdir(parents=True, exist_ok=True)
        timings.write_text(json.dumps(seconds, indent=1), encoding="utf-8")
    if result.errors:
        sys.exit(1)


VALIDATE_NICENESS = 10  # below the site's workers (5): MkDocs and its report jobs come first
# Validation runs beside the site when at most this many packages changed (a rebuild): it then
# fits in what MkDocs leaves of the second core. A big one takes both cores, and beside the site
# it only slowed the site (N=1,000 clean: site 33 → 43 s, the whole build 68 s either way).
BESIDE_UP_TO = 8


class _Beside:
    """A stage run in a forked process beside the next one; `result()` waits and returns its
    value and seconds, or raises what it raised (as a JuesuanError with the same message).

    `juesuan build` validates a rebuild's few changed packages while the site is built: the site
    needs the packages, not their validation, and MkDocs leaves the second core partly idle.
    Validation runs at lower priority than the site's processes; its result and exit status are
    the same as when it runs first.
    """

    def __init__(self, fn, *args, **kwargs):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        # Not a daemon: validation starts worker processes of its own.
        self._proc = ctx.Process(target=self._run, args=(send, fn, args, kwargs))
        self._proc.start()
        send.close()

    @staticmethod
    def _run(send, fn, args, kwargs) -> None:
        try:
            os.setpgid(0, 0)  # its own process group: `stop` ends its workers with it
            os.nice(VALIDATE_NICENESS)
        except OSError:
            pass
        t0 = time.perf_counter()
        try:
            value = fn(*args, **kwargs)
            send.send(("ok", value, round(time.perf_counter() - t0, 3)))
        except BaseException as e:  # noqa: BLE001 - handed to the parent, which reports it
            send.send(("error", f"{e}" if isinstance(e, JuesuanError) else f"{type(e).__name__}: {e}", 0.0))
        finally:
            send.close()

    def stop(self) -> None:
        """The build failed: validation (and its workers, in its process group) is not waited for."""
        import signal

        if self._proc.is_alive():
            try:
                os.killpg(self._proc.pid, signal.SIGTERM)
            except OSError:
                self._proc.terminate()
        self._proc.join()

    def result(self):
        try:
            kind, value, secs = self._recv.recv()
        except EOFError:
            self._proc.join()
            raise JuesuanError(f"validation stopped without a result (exit {self._proc.exitcode}); "
                               "run `juesuan validate` to see why") from None
        except BaseException:  # Ctrl+C while waiting: its own process group does not get the terminal's signal
            self.stop()
            raise
        self._proc.join()
        if kind == "error":
            raise JuesuanError(value)
        return value, secs


def main() -> None:
    debug = "--debug" in sys.argv
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except JuesuanError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)
    except Exception as e:
        if debug:
            raise
        click.echo(f"Error: {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
        sys.exit(1)
