#include "qujat/model/kind.h"

#include <array>
#include <utility>

namespace qujat::model {
namespace {
constexpr std::array<std::pair<Kind, std::string_view>, 13> kNames{{
    {Kind::export_licence, "export-licence"},
    {Kind::import_licence, "import-licence"},
    {Kind::general_export_licence, "general-export-licence"},
    {Kind::refusal, "refusal"},
    {Kind::refusal_to_consider, "refusal-to-consider"},
    {Kind::hearing_notice, "hearing-notice"},
    {Kind::euc, "euc"},
    {Kind::iic, "iic"},
    {Kind::reexport_permit, "reexport-permit"},
    {Kind::trade_export_licence, "trade-export-licence"},
    {Kind::trade_import_licence, "trade-import-licence"},
    {Kind::execution_report, "execution-report"},
    {Kind::classification_conclusion, "classification-conclusion"},
}};

constexpr std::array<Kind, kNames.size()> make_kinds() {
  std::array<Kind, kNames.size()> kinds{};
  for (std::size_t i = 0; i < kNames.size(); ++i) kinds[i] = kNames[i].first;
  return kinds;
}
constexpr auto kKinds = make_kinds();
}  // namespace

std::string_view kind_name(Kind kind) noexcept {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "unknown";
}

std::optional<Kind> parse_kind(std::string_view name) noexcept {
  for (const auto& [k, n] : kNames)
    if (n == name) return k;
  return std::nullopt;
}

std::span<const Kind> all_kinds() noexcept { return kKinds; }

std::span<const Kind> services() noexcept {
  static constexpr Kind list[] = {Kind::export_licence,       Kind::import_licence,       Kind::general_export_licence,
                                  Kind::euc,                  Kind::iic,                  Kind::reexport_permit,
                                  Kind::trade_export_licence, Kind::trade_import_licence, Kind::classification_conclusion};
  return list;
}

bool is_seed_000_licence(Kind kind) noexcept {
  return kind == Kind::export_licence || kind == Kind::import_licence || kind == Kind::general_export_licence;
}

bool is_trade_licence(Kind kind) noexcept {
  return kind == Kind::trade_export_licence || kind == Kind::trade_import_licence;
}

}  // namespace qujat::model
