// How a date is written inside a document's sentence, per language and the
// grammatical form the sentence needs: Kazakh declines the month name
// ("2026 жылғы 20 наурыздағы № ... өтінішіңізді", "2026 жылғы 1 сәуірден
// бастап", "2027 жылғы 31 наурызға дейін"), Russian takes the genitive
// ("с 1 апреля 2026 г."). The month names and the patterns are data
// (templates/dates.json); this type only reads them. A view: it keeps a
// reference to the JSON, which must outlive it (TemplateRoot keeps it).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/time.h"

namespace qujat::i18n {

class DateGrammar {
 public:
  // templates/dates.json: {"months": {LANG: {FORM: [12 names]}}, "forms": {LANG: {ROLE: pattern}}};
  // patterns use {year}, {day}, {dd}, {mm} and {month:FORM}.
  explicit DateGrammar(const nlohmann::json& data) : data_(data) {}

  // `date` written for `lang` ("kk", "ru") in `role` ("plain", "attributive",
  // "locative", "ablative", "dative", "numeric", or any role the data names);
  // a role the language does not list is written in its "plain" form.
  // Throws qujat::Error("i18n.date_grammar") naming what the data lacks.
  std::string format(Date date, std::string_view lang, std::string_view role = "plain") const;

  // Every defect of the data (missing plain form, a month list that is not
  // 12 names, a pattern naming an unknown month form or placeholder); empty
  // when it is usable. For tests of templates/.
  std::vector<std::string> defects() const;

 private:
  const nlohmann::json& data_;
};

}  // namespace qujat::i18n
