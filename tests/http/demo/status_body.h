// The status read both HTTP demo servers answer (qujat_http_demo on src/http,
// qujat_httplib_peer on cpp-httplib), so that scripts/bench-http-libraries
// compares the libraries, not two bodies: the shape of
// GET /api/v1/applications/{id} in docs/API.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace qujat::test {

inline nlohmann::json demo_status_body(const std::string& id) {
  return {{"id", id},
          {"kind", "export-licence"},
          {"state", "under_review"},
          {"registered_on", "2026-03-20"},
          {"due_on", "2026-04-03"},
          {"history",
           {{{"at", "2026-03-20T10:00:00+05:00"}, {"state", "registered"}, {"actor", "applicant"}, {"reason", nullptr}},
            {{"at", "2026-03-23T09:30:00+05:00"}, {"state", "under_review"}, {"actor", "officer"}, {"reason", nullptr}}}},
          {"documents", nlohmann::json::array()}};
}

}  // namespace qujat::test
