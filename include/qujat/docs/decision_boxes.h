// The decision boxes of an issued licence or permit: what the licensing body
// decided and who decided it (000 annex 3 boxes 7, 17, 19; 002 annex 4 boxes
// 14, 15; the trade licences' licensor block). A licence is never signed with
// them empty, and its term never starts before it is issued: the engine asks
// DecisionBoxes before it numbers, builds and signs a document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/common/finding.h"
#include "qujat/common/time.h"
#include "qujat/i18n/template_root.h"

namespace qujat::docs {

// One decision box the document cannot be issued with: its code
// ("docs.box_missing", "docs.validity_before_issue", ...) and params
// {box, kind, field, ...} that templates/messages/docs.json words.
using DecisionDefect = Finding;

// Thrown by DocumentEngine::issue for a licence or permit whose decision
// boxes are empty or whose term is unlawful: code and finding are the first
// defect's, the message its English wording, causes the others'; defects()
// lists them all for a front end that words them in kk/ru/en.
class UndecidedDocument : public Error {
 public:
  UndecidedDocument(std::vector<DecisionDefect> defects, const std::string& message, std::vector<std::string> causes)
      : Error(defects.front().code, message, std::move(causes), defects.front()), defects_(std::move(defects)) {}
  const std::vector<DecisionDefect>& defects() const noexcept { return defects_; }

 private:
  std::vector<DecisionDefect> defects_;
};

class DecisionBoxes {
 public:
  // Every defect of `application`'s decision data for a document of `kind`
  // issued on `issue_date`; empty when it may be issued (and for kinds
  // without decision boxes: refusals, certificates, reports).
  static std::vector<DecisionDefect> defects(std::string_view kind, const nlohmann::json& application, Date issue_date);

  // Throws UndecidedDocument (worded by templates/messages/docs.json) when
  // there is any defect, so an operator sees every empty box at once.
  static void require(std::string_view kind, const nlohmann::json& application, Date issue_date,
                      const i18n::TemplateRoot& templates);
};

}  // namespace qujat::docs
