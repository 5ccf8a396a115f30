#include "qujat/docs/decision_boxes.h"

#include <optional>

#include "docs/issued_fields.h"
#include "qujat/i18n/messages.h"
#include "qujat/model/kind.h"
#include "qujat/model/validity.h"

namespace qujat::docs {
namespace {

using nlohmann::json;

bool filled_text(const json* v) {
  if (v == nullptr) return false;
  if (v->is_string()) return !v->get_ref<const std::string&>().empty();
  return v->is_object() && filled_text(find_path(*v, "kk")) && filled_text(find_path(*v, "ru"));
}

bool filled_date(const json* v) { return v != nullptr && v->is_string() && parse_date(v->get<std::string>()); }

// Where each kind keeps its decision: the block, and the box numbers of its
// approvals, licensor and term (empty: the form has no such box).
struct DecisionLayout {
  std::string block;      // "licence" or "permit"
  std::string approvals;  // box of the approving bodies ("17"; permit "14")
  std::string licensor;   // box of the deciding official ("19"; permit "15"; trade: unnumbered)
  std::string term;       // box printing the term ("7"; permit "15")
};

std::optional<DecisionLayout> layout_of(std::string_view name) {
  const auto kind = model::parse_kind(name);
  if (!kind) return std::nullopt;
  if (model::is_seed_000_licence(*kind)) return DecisionLayout{"licence", "17", "19", "7"};
  if (*kind == model::Kind::reexport_permit) return DecisionLayout{"permit", "14", "15", "15"};
  // The EEC trade forms print the term in box 2 and the licensor's block
  // unnumbered after box 18; they have no approvals box.
  if (model::is_trade_licence(*kind)) return DecisionLayout{"licence", "", "licensor", "2"};
  return std::nullopt;
}

class Collector {
 public:
  Collector(std::string_view kind, std::vector<DecisionDefect>& out) : kind_(kind), out_(out) {}
  void missing(const std::string& box, const std::string& field) {
    out_.push_back({"docs.box_missing", {{"box", box}, {"kind", kind_}, {"field", field}}});
  }
  void add(std::string code, Params params) {
    params["kind"] = kind_;
    out_.push_back({std::move(code), std::move(params)});
  }

 private:
  std::string kind_;
  std::vector<DecisionDefect>& out_;
};

void approvals(const json& application, const DecisionLayout& l, Collector& c) {
  const std::string path = l.block + ".approvals";
  const json* list = find_path(application, path);
  if (list == nullptr || !list->is_array() || list->empty()) return c.missing(l.approvals, path);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& a = (*list)[i];
    const std::string at = path + "." + std::to_string(i);
    if (!filled_text(find_path(a, "body"))) c.missing(l.approvals, at + ".body");
    if (!filled_text(find_path(a, "letter_number"))) c.missing(l.approvals, at + ".letter_number");
    if (!filled_date(find_path(a, "letter_date"))) c.missing(l.approvals, at + ".letter_date");
  }
}

void licensor(const json& application, const DecisionLayout& l, Collector& c) {
  const std::string path = l.block + ".licensor";
  const json* who = find_path(application, path);
  if (who == nullptr || !who->is_object()) return c.missing(l.licensor, path);
  for (const char* key : {"body", "position", "full_name"})
    if (!filled_text(find_path(*who, key))) c.missing(l.licensor, path + "." + key);
  if (!filled_date(find_path(*who, "date"))) c.missing(l.licensor, path + ".date");
}

// A licence runs from its issue (never earlier) for at most one year
// (000 lines 197-201; 002 line 121).
void term(const json& application, const DecisionLayout& l, Date issue_date, Collector& c) {
  const json* until = find_path(application, l.block + ".valid_until");
  if (!filled_date(until)) return c.missing(l.term, l.block + ".valid_until");
  const Date to = *parse_date(until->get<std::string>());
  Date from = issue_date;
  if (const json* f = find_path(application, l.block + ".valid_from"); filled_date(f)) {
    from = *parse_date(f->get<std::string>());
    if (from < issue_date)
      c.add("docs.validity_before_issue", {{"box", l.term},
                                           {"field", l.block + ".valid_from"},
                                           {"valid_from", format_date(from)},
                                           {"issue_date", format_date(issue_date)}});
  }
  if (to < from)
    c.add("docs.validity_ends_before_start", {{"box", l.term},
                                              {"field", l.block + ".valid_until"},
                                              {"valid_from", format_date(from)},
                                              {"valid_until", format_date(to)}});
  if (const Date limit = model::one_year_end(issue_date); to > limit)
    c.add("docs.validity_over_one_year", {{"box", l.term},
                                          {"field", l.block + ".valid_until"},
                                          {"valid_until", format_date(to)},
                                          {"issue_date", format_date(issue_date)},
                                          {"limit", format_date(limit)}});
}

}  // namespace

std::vector<DecisionDefect> DecisionBoxes::defects(std::string_view kind, const nlohmann::json& application,
                                                   Date issue_date) {
  std::vector<DecisionDefect> out;
  const auto layout = layout_of(kind);
  if (!layout) return out;
  Collector c(kind, out);
  if (!layout->term.empty()) term(application, *layout, issue_date, c);
  if (!layout->approvals.empty()) approvals(application, *layout, c);
  licensor(application, *layout, c);
  return out;
}

void DecisionBoxes::require(std::string_view kind, const nlohmann::json& application, Date issue_date,
                            const i18n::TemplateRoot& templates) {
  const auto found = defects(kind, application, issue_date);
  if (found.empty()) return;
  const i18n::MessageCatalogue messages(templates.json("messages/docs.json"));
  std::vector<std::string> causes;
  for (std::size_t i = 1; i < found.size(); ++i) causes.push_back(messages.render(found[i].code, found[i].params).en);
  const auto message = messages.render(found.front().code, found.front().params).en;
  throw UndecidedDocument(found, message, std::move(causes));
}

}  // namespace qujat::docs
