from django.test import Client


def client_for(user) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def run_concurrently(work, threads: int) -> list[str]:
    """Run `work(number)` in `threads` threads started together; return the errors they raised.

    Each thread closes its database connection, as a request would.
    """
    import threading

    from django.db import close_old_connections, connection

    errors: list[str] = []
    barrier = threading.Barrier(threads)

    def worker(number):
        try:
            barrier.wait()
            work(number)
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    started = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return errors
