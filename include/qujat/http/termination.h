// Waiting for SIGTERM or SIGINT in a server's main thread. Construct it
// before any thread starts (it blocks the signals in the calling thread, and
// threads started later inherit that), then wait(): the signal is taken
// synchronously, so no handler runs in async-signal context, and `qujat
// serve` can call Server::stop() and exit 0.
#pragma once

#include <csignal>

namespace qujat::http {

class TerminationSignal {
 public:
  TerminationSignal();
  ~TerminationSignal();  // restores the previous signal mask of this thread
  TerminationSignal(const TerminationSignal&) = delete;
  TerminationSignal& operator=(const TerminationSignal&) = delete;

  // Blocks until SIGTERM or SIGINT arrives; returns its number.
  int wait() const;

 private:
  sigset_t signals_{};
  sigset_t previous_{};
};

}  // namespace qujat::http
