"""`ui`: start the Streamlit app, refusing an address others can reach without sign-in."""

from __future__ import annotations

import argparse
import sys

from assistant.cli.args import ranged
from assistant.errors import UserInputError
from assistant.settings import PROJECT_ROOT, Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `ui` subcommand."""
    s = sub.add_parser("ui", help="start the Streamlit app on 127.0.0.1")
    s.add_argument("--port", type=ranged("--port", 1, 65535), default=8501)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    s.add_argument("--no-auth", action="store_true",
                   help="serve a non-loopback address without sign-in (behind a proxy that signs users in)")
    s.set_defaults(handler=cmd_ui)


def _loopback(infos: list) -> bool:  # type: ignore[type-arg]
    """Whether every address a host name resolves to is on this machine only."""
    import ipaddress

    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


def cmd_ui(args: argparse.Namespace) -> int:
    """Index the bundled corpus if needed, then become the Streamlit server bound to loopback.

    The process is replaced by Streamlit (`os.execv`), not wrapped: its PID is the server's, so a
    supervisor's SIGTERM, SIGINT or SIGHUP reaches the server itself and nothing is left behind. The
    memory used by the index check is released with it.
    """
    import os
    import socket

    from assistant.workspace.library import ensure_corpus

    try:  # the address must be bindable before the corpus check and the exec, or it is one line
        infos = socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except (OSError, UnicodeError) as exc:
        raise UserInputError(f"cannot serve on {args.host}:{args.port} "
                             f"({getattr(exc, 'strerror', None) or exc})") from None
    from assistant.people.access import oidc_providers
    from assistant.people.accounts import any_accounts

    settings = Settings()
    oidc = oidc_providers(settings)  # an incomplete [auth] section is one line here, not a broken sign-in page
    if not args.no_auth and not _loopback(infos) and not oidc and not any_accounts(settings):
        raise UserInputError(f"refusing to serve {args.host} without sign-in: anyone who reaches it could read "
                             "every conversation and upload or remove documents; add an account "
                             "(policy-assistant users add NAME --role admin) or an OIDC provider in "
                             ".streamlit/secrets.toml (README: Deployment), or pass --no-auth")
    report = ensure_corpus(settings)
    if report is not None:
        print(f"indexed the bundled corpus: {report.recommendations} recommendations, {report.total_chunks} chunks")
    app = PROJECT_ROOT / "ui" / "app.py"
    print(f"policy-assistant: http://{args.host}:{args.port}", flush=True)
    argv = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", args.host,
            "--server.port", str(args.port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--client.toolbarMode", "viewer",
            # the browser refuses a file over the ingest limit before sending it
            "--server.maxUploadSize", str(max(1, int(settings.chunking.max_file_mb)))]
    if settings.auth.secrets_file:
        argv += ["--secrets.files", settings.auth.secrets_file]
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "nt":  # Windows has no exec that keeps the PID: wait on a child instead
        import subprocess

        return subprocess.call(argv)
    os.execv(sys.executable, argv)
    return 1  # not reached
