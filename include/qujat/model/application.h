// A checked application: the JSON document of one licence, refusal or
// certificate (../shared/docs/APPLICATION-JSON.md, docs/application.md) that
// passed check_application, with typed views of the shapes every kind shares.
// The documents engine reads it by dotted path (json(), find()); code that
// needs numbers and identities uses the typed views.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/model/check.h"
#include "qujat/model/decimal.h"
#include "qujat/model/kind.h"

namespace qujat::model {

// Inputs larger than this are refused as unreadable (no real application comes close).
inline constexpr std::size_t max_application_bytes = 4u << 20;
// Nesting deeper than this is refused as unreadable (the deepest shape is about 6).
inline constexpr int max_application_depth = 32;

// Parses JSON text; throws qujat::Error("model.unreadable") for anything that
// is not one JSON value (binary garbage, truncation, bad UTF-8, too large, too deep).
nlohmann::json read_application_json(std::string_view text);
// Reads and parses a file; throws qujat::Error("model.unreadable") naming it.
nlohmann::json read_application_file(const std::string& path);

// Thrown when an application has problems; carries the report.
class InvalidApplication : public Error {
 public:
  explicit InvalidApplication(CheckReport report);
  const CheckReport& report() const noexcept { return report_; }

 private:
  CheckReport report_;
};

// Text printed in both languages; a plain JSON string fills both.
struct BilingualText {
  std::string kk;
  std::string ru;
};

enum class PartyType { individual, entrepreneur, legal_entity, foreign };

struct Party {
  PartyType type;
  std::string iin;  // individual, entrepreneur
  std::string bin;  // legal_entity
  BilingualText name;
  std::string country;  // ISO 3166-1 alpha-2; "KZ" for residents when omitted
  std::optional<BilingualText> address;
  std::string phone;
  std::string email;
  std::string registration_number;

  // The IIN or BIN, whichever the party has ("" for a foreign party).
  const std::string& identification_number() const { return type == PartyType::legal_entity ? bin : iin; }
};

struct Unit {
  std::string code;  // EAEU unit code, "796"
  BilingualText name;
};

struct GoodsItem {
  BilingualText name;
  std::optional<BilingualText> description;
  std::optional<BilingualText> purpose;
  std::string hs_code;
  std::string control_code;  // "" when the kind does not ask for one
  Unit unit;
  Decimal quantity;
  std::optional<Decimal> value;
};

class Application {
 public:
  // Checks and keeps the document; throws InvalidApplication with every problem.
  static Application from_json(nlohmann::json document, std::optional<Kind> expected = std::nullopt);
  // The same for an application as submitted (check_submission): the
  // office's decision is not there yet.
  static Application from_submission(nlohmann::json document);

  Kind kind() const noexcept { return kind_; }
  const nlohmann::json& json() const noexcept { return json_; }

  // Dotted path as the templates use it ("applicant.name", "goods.0.hs_code");
  // nullptr when absent.
  const nlohmann::json* find(std::string_view dotted_path) const;

  // The party at a top-level field ("applicant", "buyer", "end_user", ...), or
  // at a dotted path ("buyers.1"); nullopt when absent.
  std::optional<Party> party(std::string_view dotted_path) const;
  // The `goods` array (empty for kinds without goods; execution reports and
  // classification items have their own shapes, read them with json()).
  std::vector<GoodsItem> goods() const;
  std::optional<Decimal> total_value() const;

 private:
  Application(Kind kind, nlohmann::json document) : kind_(kind), json_(std::move(document)) {}
  Kind kind_;
  nlohmann::json json_;
};

// read_application_json + Application::from_json.
Application parse_application(std::string_view json_text, std::optional<Kind> expected = std::nullopt);
// read_application_file + Application::from_json.
Application load_application(const std::string& path, std::optional<Kind> expected = std::nullopt);

BilingualText bilingual_text(const nlohmann::json& value);

}  // namespace qujat::model
