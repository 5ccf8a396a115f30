// The service's metrics: counters, gauges and histograms, with labels,
// rendered in the Prometheus text exposition format (version 0.0.4) for
// GET /metrics. The HTTP server records requests and latency per route and
// status here; the workflow adds documents issued per kind, verification
// results and the outbox depth through the same registry. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace qujat::http {

class Counter {
 public:
  void add(double amount = 1.0) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double amount) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `upper_bounds`: increasing bucket bounds; +Inf is implied.
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value) noexcept;

  const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
  // Per bucket (not cumulative), +Inf last.
  std::vector<std::uint64_t> bucket_counts() const;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

// One metric name with its label names; `with(values)` is the series for one
// combination of label values (created on first use, then kept).
template <class Metric>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Metric>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  // Throws qujat::Error("metrics.labels") when the number of values differs
  // from the number of label names.
  Metric& with(const std::vector<std::string>& label_values);

  const std::vector<std::string>& label_names() const noexcept { return label_names_; }
  // (label values, metric) in label order; for rendering.
  template <class Visit>
  void for_each(Visit&& visit) const {
    std::shared_lock lock(mutex_);
    for (const auto& [values, metric] : series_) visit(values, *metric);
  }

 private:
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

// Default histogram bounds for request latency, in seconds.
std::vector<double> latency_buckets();

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();

  // Registering a name again with the same kind and label names returns the
  // same family; otherwise throws qujat::Error("metrics.conflict"). Names
  // and label names are checked against the format's grammar
  // ("metrics.bad_name").
  Family<Counter>& counter(const std::string& name, const std::string& help,
                           const std::vector<std::string>& label_names = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help,
                       const std::vector<std::string>& label_names = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help,
                               const std::vector<std::string>& label_names, std::vector<double> upper_bounds);
  // A gauge read when the registry is rendered (e.g. the outbox depth from
  // the store). `read` runs on the thread serving GET /metrics.
  void gauge_callback(const std::string& name, const std::string& help, std::function<double()> read);

  // The text exposition format: # HELP, # TYPE, then name{label="value"} value.
  std::string render() const;

 private:
  struct Entry;
  template <class Metric>
  Family<Metric>& add_family(const std::string& name, const std::string& help,
                             const std::vector<std::string>& label_names, std::vector<double> upper_bounds);
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace qujat::http
