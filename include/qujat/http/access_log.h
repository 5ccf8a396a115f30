// The access log: one JSON line per answered request (time, request id,
// method, route pattern, status, duration, bytes) to a sink, stderr by
// default. The raw path, bodies and Authorization never reach it, and IINs
// and BINs anywhere in the line are masked (common/masking.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace qujat::http {

struct AccessRecord {
  std::chrono::system_clock::time_point time;  // when the request's first byte arrived
  std::string_view request_id;
  std::string_view method;  // "" when the request line was unreadable
  std::string_view route;   // the pattern; "" when no route matched
  int status = 0;
  std::chrono::microseconds duration{0};
  std::size_t bytes_in = 0;                // body bytes read
  std::size_t bytes_out = 0;               // response bytes written, head included
  std::string_view error_code;             // the answer's error code, if any
  const nlohmann::json* fields = nullptr;  // Response::log_fields
};

class AccessLog {
 public:
  // Receives one line without its newline; called from any worker thread.
  // An empty Sink is discard().
  using Sink = std::function<void(std::string_view line)>;

  explicit AccessLog(Sink sink);
  static AccessLog to_stderr();
  static AccessLog discard();  // formats nothing (benchmarks, tests)

  void write(const AccessRecord& record) const;
  // The masked line for a record:
  // {"time":"2026-03-20T05:00:00.123Z","event":"http.request","request_id":"...","method":"GET",
  //  "route":"/x/{id}","status":200,"duration_ms":0.412,"bytes_in":0,"bytes_out":512,...}
  static std::string format(const AccessRecord& record);

 private:
  std::shared_ptr<const Sink> sink_;
};

}  // namespace qujat::http
