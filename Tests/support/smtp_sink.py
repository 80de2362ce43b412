"""A real SMTP server on loopback for the tests: aiosmtpd, storing every message exactly as it
arrived (raw bytes, CRLF) in DIR/<n>.eml, with the envelope recipients in DIR/<n>.rcpt.

    python smtp_sink.py DIR PORT [HOLD]

HOLD (seconds, default 0) is how long it holds each message before accepting it, as a slow
mail server does. Prints "ready" once it accepts connections and runs until it is terminated.
"""
import asyncio
import os
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, hold):
        self.directory = directory
        self.hold = hold
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.hold:
            await asyncio.sleep(self.hold)
        with self.lock:
            self.count += 1
            base = os.path.join(self.directory, "%06d" % self.count)
        with open(base + ".rcpt.tmp", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        os.rename(base + ".rcpt.tmp", base + ".rcpt")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    hold = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    controller = Controller(Sink(directory, hold), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    while True:  # until SIGTERM, whose default action ends the process
        time.sleep(3600)


if __name__ == "__main__":
    main()
