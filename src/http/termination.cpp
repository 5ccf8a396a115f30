#include "qujat/http/termination.h"

#include <pthread.h>

#include "qujat/common/error.h"

namespace qujat::http {

TerminationSignal::TerminationSignal() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &signals_, &previous_) != 0)
    throw Error("http.signals", "cannot block SIGTERM and SIGINT");
}

TerminationSignal::~TerminationSignal() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

int TerminationSignal::wait() const {
  int signal = 0;
  while (sigwait(&signals_, &signal) != 0) {
  }
  return signal;
}

}  // namespace qujat::http
