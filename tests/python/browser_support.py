"""Headless Chromium driven over the Chrome DevTools Protocol (CDP), for the site's browser tests.

Why CDP through ``websocket-client`` rather than Selenium or Playwright: Playwright installs its own
browser build (not possible on machines without internet access beyond the package registries);
Selenium needs a matching chromedriver and still reaches the network log and console through CDP. Here
the test starts Debian's ``chromium`` itself (``--remote-debugging-port=0``), reads the port Chromium
writes to ``DevToolsActivePort``, and speaks CDP over one WebSocket: ``Network.requestWillBeSent`` sees
every request a page makes, ``Runtime``/``Log`` events every console error and uncaught exception,
``Page.captureScreenshot`` the screenshot. One pinned dependency (websocket-client), no driver binary.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    """The Chromium executable: $ICE287G_CHROMIUM, else the first of CANDIDATES on PATH."""
    explicit = os.environ.get("ICE287G_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium with one page (tab), its console errors and every requested URL recorded."""

    def __init__(self, executable: str, *, width: int = 1280, height: int = 1600, timeout: float = 30.0):
        import websocket  # websocket-client

        self.timeout = timeout
        self.profile = Path(tempfile.mkdtemp(prefix="ice287g-chromium-"))
        args = [
            executable,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-quic",
            "--hide-scrollbars",
            "--mute-audio",
            f"--window-size={width},{height}",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                err = self.proc.stderr.read().decode(errors="replace")[-2000:] if self.proc.stderr else ""
                self.close()
                raise RuntimeError(f"Chromium did not start ({executable}): {err}")
            time.sleep(0.05)
        port, path = port_file.read_text().split()[:2]
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=timeout, suppress_origin=True)
        self._id = 0
        self.events: list[dict] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=True)

    def send(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def _wait_event(self, name: str, since: int) -> None:
        deadline = time.monotonic() + self.timeout
        while not any(e.get("method") == name for e in self.events[since:]):
            if time.monotonic() > deadline:
                raise TimeoutError(name)
            self.events.append(json.loads(self.ws.recv()))

    def open(self, url: str) -> None:
        """Navigate and wait for the load event (and a moment for deferred scripts)."""
        since = len(self.events)
        self.send("Page.navigate", {"url": url}, session=True)
        self._wait_event("Page.loadEventFired", since)
        self.evaluate("new Promise(r => setTimeout(r, 150))", await_promise=True)

    def evaluate(self, expression: str, *, await_promise: bool = False):
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
            session=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def console_errors(self) -> list[str]:
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(json.dumps(params.get("exceptionDetails", {}))[:500])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(json.dumps(params.get("args", []))[:500])
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                out.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
        return out

    def screenshot(self, path: Path) -> int:
        """A full-page PNG; returns its size in bytes."""
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path.stat().st_size

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            with contextlib.suppress(Exception):  # a dead connection must not hide the test's own failure
                ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
