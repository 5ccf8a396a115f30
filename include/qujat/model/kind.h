// The kinds of document qujat builds or reads (../shared/docs/APPLICATION-JSON.md):
// the `kind` field of an application and the --kind of the CLI.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace qujat::model {

enum class Kind {
  export_licence,
  import_licence,
  general_export_licence,
  refusal,
  refusal_to_consider,
  hearing_notice,
  euc,
  iic,
  reexport_permit,
  trade_export_licence,
  trade_import_licence,
  execution_report,
  classification_conclusion,
};

// "export-licence", "euc", ... as in the JSON and on the command line.
std::string_view kind_name(Kind kind) noexcept;
std::optional<Kind> parse_kind(std::string_view name) noexcept;
// Every kind, in the order of APPLICATION-JSON.md.
std::span<const Kind> all_kinds() noexcept;

// The services an applicant applies for: the kinds a refusal, a hearing
// notice or a refusal to consider further may name as their `service`.
std::span<const Kind> services() noexcept;
// The licences of seed 000 (export, import, general export): one catalogue
// of 19 refusal grounds (ground 12 is the MFA's), one layout of decision boxes.
bool is_seed_000_licence(Kind kind) noexcept;
// The EEC trade licences of seed 001.
bool is_trade_licence(Kind kind) noexcept;

}  // namespace qujat::model
