# gunicorn as the book deploys it (sync workers, no access log), on the port the bench
# gives in PORT (0: any free one), printing the JSON "listening" line the bench waits for.
import json
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '0')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "1"))
worker_class = "sync"


def when_ready(server):
    host, port = server.LISTENERS[0].sock.getsockname()[:2]
    print(json.dumps({"msg": "listening", "url": f"http://{host}:{port}"}), flush=True)
