// The completeness check of an application (000 rule 15, lines 255-263: "проверяет их
// полноту и срок действия"): which documents the service asks for, as data in
// templates/requirements/<service>.json (the qualification-requirement tables
// of seed 000, the service standards of 000 and 002, the EUC/IIC documents of
// 001 and 003; docs/requirements.md), which of them the application does not
// attach, and which attached ones have expired. Its report is what a
// refusal to consider further names, document by document.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/time.h"
#include "qujat/model/application.h"

namespace qujat::workflow {

// One document a service asks for: a row (or part of a row) of a seed table.
struct RequiredDocument {
  std::string id;                              // stable: "export-4-guarantee"
  std::string type;                            // attachment type that names it
  std::vector<std::string> accepted_types;     // attachment types that satisfy it (`type` first)
  model::BilingualText name;                   // as the seed words it (one language translated, see the data)
  std::string seed;                            // where it comes from: "000:1165-1229"
  bool from_gateway = false;                   // taken from state databases: never asked from the applicant
  std::optional<model::BilingualText> clause;  // a clause the document must contain (checked by the officer)
  std::vector<std::string> signers;            // whose signatures it carries: "applicant", "importer", "end_user"
};

// An attached document whose valid_until is before the day of the check.
struct ExpiredDocument {
  std::size_t attachment = 0;  // index in the application's `attachments`
  std::string type;
  model::BilingualText name;  // the requirement's name, else the attachment's, else the type's
  std::string number;
  std::optional<Date> date;
  Date valid_until;
  std::string seed;  // of the requirement it answers; "" when none asks for it
};

struct CompletenessReport {
  std::vector<RequiredDocument> missing;  // in the order of the seed table, each type once
  std::vector<ExpiredDocument> expired;   // in the order of the requirements they answer, then the others

  bool complete() const noexcept { return missing.empty() && expired.empty(); }
  // {"missing_documents": [{"type", "name": {kk, ru}}], "expired_documents":
  //  [{"type", "name", "number", "date"?, "valid_until"}]}: the lists of a
  // refusal-to-consider (docs/application.md).
  nlohmann::json to_json() const;
};

// The requirements of every service, read once from a templates folder.
class QualificationRequirements {
 public:
  // Reads <templates_root>/requirements/*.json and the type names of
  // <templates_root>/common.json; throws qujat::Error("requirements.invalid")
  // naming the file and the entry for anything malformed (unknown field,
  // type, fact or service), "requirements.missing" when the folder is absent.
  explicit QualificationRequirements(const std::filesystem::path& templates_root);

  // Every requirement that applies to the application, in the seed's order,
  // including those taken through the e-government gateway. Empty for kinds
  // without requirements (refusals, notices, reports, trade licences).
  std::vector<RequiredDocument> required(const model::Application& application) const;

  // Each required document the applicant must attach and did not (documents
  // from the gateway are never missing), and each attachment expired as of
  // `as_of` (valid_until < as_of). An attachment satisfies a requirement when
  // its `type`, or one of its `includes`, is an accepted type.
  CompletenessReport check(const model::Application& application, Date as_of) const;

  // The kk/ru name of a document type (templates/common.json attachment_types).
  const model::BilingualText& document_name(std::string_view type) const;

 private:
  struct Data;
  static std::shared_ptr<const Data> load(const std::filesystem::path& templates_root);
  std::shared_ptr<const Data> data_;
};

}  // namespace qujat::workflow
