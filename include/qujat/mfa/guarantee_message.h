// The messages of the MFA exchange (docs/mfa.md, schemas/mfa-guarantee-check.xsd):
// the office's GuaranteeCheckRequest and StatusRequest, the ministry's
// GuaranteeCheckAnswer and Receipt, as the bodies of SOAP 1.1 envelopes.
// Building gives an unsigned envelope (dsig::wss_sign signs it); reading
// takes the soap:Body that dsig::wss_verify_envelope vouched for, never the
// raw envelope, so only signed content is acted on.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/store/database.h"

namespace qujat::mfa {

inline constexpr const char* kNamespace = "urn:qujat:mfa:guarantee-check:1";

struct Party {
  std::string name;
  std::string country;
  std::string address;
};

struct GoodsItem {
  std::string name;
  std::string hs_code;
  std::string control_code;
  std::string quantity;
  std::string unit;
  std::string value;
};

// The importing country's guarantee (EUC, IIC, assurance of peaceful use,
// other guarantee) as the applicant attached it: its data and its file.
struct GuaranteeDocument {
  std::string type;  // the attachment type ("end_user_certificate", ...)
  std::string number;
  std::string date;
  std::string valid_until;  // "" when the document has none
  std::string issuing_country;
  std::string issuing_authority;  // the attachment's name, when the applicant gave one
  std::string sha256;
  Bytes file;
};

struct GuaranteeCheckRequest {
  std::string idempotency_key;  // "qujat-mfa-<check id>", the same on every attempt
  std::string check_id;
  std::string registration_number;
  std::string kind;  // model::kind_name of the application
  GuaranteeDocument document;
  Party importer;
  Party end_user;
  std::vector<GoodsItem> goods;
  std::string currency;
  std::string contract_number;
  std::string contract_date;
};

// Results of the check, as the procedure records them.
inline constexpr const char* kResults[] = {"authentic", "not_authentic", "cannot_determine"};

struct GuaranteeAnswer {
  std::string message_id;  // unique per answer message: a repeat is a replay
  std::string idempotency_key;
  std::string result;   // one of kResults
  std::string comment;  // "" when none
};

// What a body of the exchange holds (exactly one of them).
struct GuaranteeMessage {
  std::optional<GuaranteeCheckRequest> request;
  std::optional<std::string> status_request;  // its idempotency key
  std::optional<GuaranteeAnswer> answer;
  std::optional<std::string> receipt;  // the ministry took the request; the answer comes later
};

// The request for `check_id`, from the application's data and files. Throws
// qujat::Error "mfa.check_not_found", "mfa.no_guarantee_document" (no
// attachment is a guarantee, or its file is missing).
GuaranteeCheckRequest load_request(store::Transaction& tx, const std::string& check_id);

std::string request_envelope(const GuaranteeCheckRequest& request);
std::string status_envelope(const std::string& idempotency_key);
std::string answer_envelope(const GuaranteeAnswer& answer);
std::string receipt_envelope(const std::string& idempotency_key);
// The office's acknowledgement of a callback (unsigned).
std::string acknowledgement_envelope(const std::string& message_id, const std::string& outcome);
// An unsigned SOAP 1.1 Fault (the callback's refusals): faultcode
// soap:Client, faultstring `code`.
std::string fault_envelope(const std::string& code, const std::string& text);

// Reads a soap:Body (as wss_verify_envelope returns it). Throws
// qujat::Error("mfa.message", ...) naming the element at fault.
GuaranteeMessage parse_body(std::string_view body_xml);

}  // namespace qujat::mfa
