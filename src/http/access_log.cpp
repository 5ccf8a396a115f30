#include "qujat/http/access_log.h"

#include <cstdio>

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

nlohmann::ordered_json text_or_null(std::string_view s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::string(s));
}

}  // namespace

AccessLog::AccessLog(Sink sink) : sink_(std::make_shared<const Sink>(std::move(sink))) {}

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

AccessLog AccessLog::discard() {
  return AccessLog([](std::string_view) {});
}

std::string AccessLog::format(const AccessRecord& r) {
  nlohmann::ordered_json line;
  line["time"] = format_time(r.time);
  line["event"] = "http.request";
  line["request_id"] = std::string(r.request_id);
  line["method"] = text_or_null(r.method);
  line["route"] = text_or_null(r.route);
  line["status"] = r.status;
  line["duration_ms"] = static_cast<double>(r.duration.count()) / 1000.0;
  line["bytes_in"] = r.bytes_in;
  line["bytes_out"] = r.bytes_out;
  if (!r.error_code.empty()) line["error"] = std::string(r.error_code);
  if (r.fields != nullptr && r.fields->is_object())
    for (const auto& [key, value] : r.fields->items())
      if (!line.contains(key)) line[key] = value;
  return mask_identifiers(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

void AccessLog::write(const AccessRecord& record) const { (*sink_)(format(record)); }

}  // namespace qujat::http
