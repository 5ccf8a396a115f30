// An application as `qujat check` reads it: read_application_json (size,
// depth, UTF-8 limits), check_application with every rule and its kk/ru/en
// wording, the --json output, and the typed views of a document that passed.
// Refusal is qujat::Error("model.unreadable"); the check never throws.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/model/application.h"
#include "qujat/model/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  nlohmann::json document;
  try {
    document = model::read_application_json(as_chars(fuzz::input(data, size)));
  } catch (const Error& e) {
    if (e.code() != "model.unreadable") fuzz::broken("read_application_json refused with " + e.code());
    return 0;
  }
  const auto report = model::check_application(document);
  (void)report.to_json().dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const auto& p : report.problems)
    if (p.code.empty() || p.message.kk.empty() || p.message.ru.empty() || p.message.en.empty())
      fuzz::broken("a problem without code or wording at " + p.path);
  if (!report.ok()) return 0;
  // Passed: the typed views must read it without surprise.
  const auto application = model::Application::from_json(document);
  (void)application.goods();
  (void)application.total_value();
  for (const char* party :
       {"applicant", "buyer", "seller", "end_user", "manufacturer", "importer", "exporter", "intermediary"})
    (void)application.party(party);
  return 0;
}
