"""Two `python -m ui` workers behind Debian's nginx, set up as docs/deployment.md describes.

The test writes the proxy's configuration to a temporary folder and starts nginx itself (installed by
tests/install-services.sh). The chat's upstream is sticky by user (`hash $http_x_forwarded_user
consistent`, the documented alternative to `ip_hash`, since every test client comes from 127.0.0.1), the
API's is `least_conn`; nginx adds `X-Upstream` to every response so the test sees which worker answered.
Two users chat in Chromium, one on each worker, and rate an answer: both ratings land in the one
feedback file the workers share; 20 API questions at once are spread over both workers.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Response

from assistant.settings import Settings
from tests.helpers import REPO, free_port
from tests.integration.conftest import running_ui
from tests.integration.faults import CLIENT_TIMEOUT_S, feedback_rows, report
from tests.integration.test_widget_browser import final_answer
from ui.strings import STRINGS

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

NGINX = Path("/usr/sbin/nginx")
CONFIG = """
worker_processes 1;
{user}
error_log {folder}/error.log warn;
pid {folder}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;

    upstream assistant_chat {{
        hash $http_x_forwarded_user consistent;
        server 127.0.0.1:{one} max_fails=3 fail_timeout=30s;
        server 127.0.0.1:{two} max_fails=3 fail_timeout=30s;
    }}
    upstream assistant_api {{
        least_conn;
        server 127.0.0.1:{one} max_fails=3 fail_timeout=30s;
        server 127.0.0.1:{two} max_fails=3 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-User $http_x_forwarded_user;  # stands for the sign-on's $remote_user
        proxy_read_timeout 120s;
        add_header X-Upstream $upstream_addr always;

        location = /assistant {{ return 301 /assistant/; }}
        location /assistant/api/ask/stream {{
            proxy_pass http://assistant_api/api/ask/stream;
            proxy_buffering off;
            proxy_cache off;
        }}
        location /assistant/api/ {{
            proxy_pass http://assistant_api/api/;
        }}
        location /assistant/gradio_api/ {{
            proxy_pass http://assistant_chat/gradio_api/;
            proxy_buffering off;
            proxy_cache off;
        }}
        location /assistant/widget/gradio_api/ {{
            proxy_pass http://assistant_chat/widget/gradio_api/;
            proxy_buffering off;
            proxy_cache off;
        }}
        location /assistant/ {{
            proxy_pass http://assistant_chat/;
        }}
    }}
}}
"""


@pytest.fixture
def two_workers_behind_nginx(indexed: Settings, tmp_path: Path) -> Iterator[tuple[str, list[str], Path]]:
    """The public URL (…/assistant), the two workers' addresses, and their shared feedback file."""
    if not NGINX.exists():
        installed = subprocess.run(
            ["bash", str(REPO / "tests" / "install-services.sh")], capture_output=True, text=True
        )
        if installed.returncode != 0:
            pytest.fail(f"tests/install-services.sh could not install nginx:\n{installed.stderr[-2000:]}")
    feedback = tmp_path / "feedback.sqlite3"
    env = {
        "ASSISTANT_UI__TRUSTED_USER_HEADER": "X-Forwarded-User",
        "ASSISTANT_UI__FEEDBACK_DB": str(feedback),
        "OMP_NUM_THREADS": "1",  # cores ÷ workers, as docs/deployment.md advises
    }
    with ExitStack() as stack:
        urls = []
        for name in ("one", "two"):
            folder = tmp_path / name
            folder.mkdir()
            urls.append(stack.enter_context(running_ui(indexed, folder, "--root-path", "/assistant", env=env)))
        folder = tmp_path / "nginx"
        folder.mkdir()
        port = free_port()
        one, two = (url.rsplit(":", 1)[1] for url in urls)
        user = "user root;" if os.geteuid() == 0 else ""  # its workers must read the test's private folders
        (folder / "nginx.conf").write_text(CONFIG.format(user=user, folder=folder, one=one, two=two, port=port))
        nginx = subprocess.Popen(
            [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stderr=subprocess.PIPE,
        )
        public = f"http://127.0.0.1:{port}/assistant"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{public}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                if nginx.poll() is not None or time.monotonic() > deadline:
                    nginx.kill()
                    raise RuntimeError(f"nginx did not start: {nginx.communicate()[1].decode()}") from None
                time.sleep(0.2)
        try:
            yield public, [u.removeprefix("http://") for u in urls], feedback
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def upstream_of(user: str, served: dict[str, set[str]]) -> Callable[[Response], None]:
    """Records which worker (nginx's X-Upstream header) served each of `user`'s responses."""
    return lambda response: served.setdefault(user, set()).add(response.headers.get("x-upstream", ""))


def test_two_workers_behind_nginx_share_the_api_the_chat_and_one_feedback_store(
    two_workers_behind_nginx: tuple[str, list[str], Path],
    browser: Browser,
) -> None:
    public, workers, feedback = two_workers_behind_nginx

    def api(n: int) -> tuple[int, str, str]:
        response = httpx.post(
            f"{public}/api/ask",
            json={"question": "Who coordinates the InterAging programme?"},
            headers={"X-Forwarded-User": f"api-{n}"},
            timeout=CLIENT_TIMEOUT_S,
        )
        return response.status_code, response.headers["X-Upstream"], response.json().get("answer", "")

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(api, range(20)))
    # One user per worker for the chat: the sticky hash decides, the header X-Upstream tells.
    chat_users: dict[str, str] = {}
    for n in range(50):
        user = f"user-{n}"
        upstream = httpx.get(f"{public}/healthz", headers={"X-Forwarded-User": user}).headers["X-Upstream"]
        chat_users.setdefault(upstream, user)
        if len(chat_users) == 2:
            break
    served: dict[str, set[str]] = {}
    for user in chat_users.values():
        context = browser.new_context(locale="en-US", extra_http_headers={"X-Forwarded-User": user})
        page = context.new_page()
        page.on("response", upstream_of(user, served))
        page.goto(f"{public}/")
        page.locator("#question textarea").fill("Who coordinates the InterAging programme?")
        page.locator("#question textarea").press("Enter")
        text = final_answer(page.locator("body"), 0)  # type: ignore[arg-type]
        assert "Gilson" in text
        page.get_by_role("button", name=STRINGS["en"].buttons["like"], exact=True).last.click()
        deadline = time.monotonic() + 20
        while feedback_rows(feedback) < len(served) and time.monotonic() < deadline:
            time.sleep(0.2)
        context.close()

    by_worker = {w: sum(1 for _, upstream, _ in answers if upstream == w) for w in workers}
    report(
        "two workers behind nginx",
        api_statuses=sorted({status for status, _, _ in answers}),
        api_answers_by_worker=by_worker,
        chat_worker_by_user={u: sorted(s - {""}) for u, s in served.items()},
        feedback_rows=feedback_rows(feedback),
    )
    assert [status for status, _, _ in answers] == [200] * 20 and all("Gilson" in a for _, _, a in answers)
    assert all(by_worker.values()), f"the API went to one worker only: {by_worker}"
    assert sorted(chat_users) == sorted(workers)
    for upstream, user in chat_users.items():
        assert served[user] - {""} == {upstream}, f"{user}'s chat was not kept on one worker: {served[user]}"
    assert feedback_rows(feedback) == 2
