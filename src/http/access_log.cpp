#include "qujat/http/access_log.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "qujat/common/json_text.h"
#include "qujat/common/masking.h"

namespace qujat::http {

namespace {

std::string format_time(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return buf;
}

void append_string_or_null(std::string& out, std::string_view text) {
  if (text.empty())
    out += "null";
  else
    append_json_string(out, text);
}

constexpr std::string_view kOwnKeys[] = {"time",   "event",       "request_id", "method",    "route",
                                         "status", "duration_ms", "bytes_in",   "bytes_out", "error"};

}  // namespace

AccessLog::AccessLog(Sink sink) {
  if (sink) sink_ = std::make_shared<const Sink>(std::move(sink));
}

AccessLog AccessLog::to_stderr() {
  return AccessLog([](std::string_view line) {
    // One fwrite per line: stdio locks the stream, so lines from several
    // threads never interleave.
    std::string buf;
    buf.reserve(line.size() + 1);
    buf.append(line).push_back('\n');
    std::fwrite(buf.data(), 1, buf.size(), stderr);
  });
}

AccessLog AccessLog::discard() { return AccessLog(Sink{}); }

// The line is assembled by hand: it is written once per request.
std::string AccessLog::format(const AccessRecord& r) {
  std::string line;
  line.reserve(256);
  line += "{\"time\":";
  append_json_string(line, format_time(r.time));
  line += ",\"event\":\"http.request\",\"request_id\":";
  append_json_string(line, r.request_id);
  line += ",\"method\":";
  append_string_or_null(line, r.method);
  line += ",\"route\":";
  append_string_or_null(line, r.route);
  char numbers[160];
  std::snprintf(numbers, sizeof numbers, ",\"status\":%d,\"duration_ms\":%.3f,\"bytes_in\":%zu,\"bytes_out\":%zu",
                r.status, static_cast<double>(r.duration.count()) / 1000.0, r.bytes_in, r.bytes_out);
  line += numbers;
  if (!r.error_code.empty()) {
    line += ",\"error\":";
    append_json_string(line, r.error_code);
  }
  if (r.fields != nullptr && r.fields->is_object()) {
    for (const auto& [key, value] : r.fields->items()) {
      if (std::find(std::begin(kOwnKeys), std::end(kOwnKeys), key) != std::end(kOwnKeys)) continue;
      line += ',';
      append_json_string(line, key);
      line += ':';
      line += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  line += '}';
  return mask_identifiers(line);
}

void AccessLog::write(const AccessRecord& record) const {
  if (sink_) (*sink_)(format(record));
}

}  // namespace qujat::http
