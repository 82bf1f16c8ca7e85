// One-hidden-layer ReLU classifier; see tdam/classifier.hpp.
#include "tdam/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tdam/detmath.hpp"
#include "tdam/error.hpp"
#include "tdam/kernels.hpp"
#include "tdam/limits.hpp"
#include "tdam/rng.hpp"

namespace tdam {
namespace {

constexpr int kMaxClasses = 1000;
constexpr int kMaxClassifierHidden = 1 << 14;

std::string num(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    return buffer;
}

struct Adam {
    explicit Adam(Eigen::Index n) : m(Vector::Zero(n)), v(Vector::Zero(n)) {}
    Vector m, v;
    void step(double* params, const double* g, double rate, double c1, double c2) {
        constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (Eigen::Index k = 0; k < m.size(); ++k) {
            m[k] = b1 * m[k] + (1.0 - b1) * g[k];
            v[k] = b2 * v[k] + (1.0 - b2) * (g[k] * g[k]);
            params[k] -= rate * (m[k] / c1) / (std::sqrt(v[k] / c2) + eps);
        }
    }
};

// out = b + sum_i x_i w.col(i), i increasing, zero inputs skipped.
void affine(const Matrix& w, const Vector& b, const double* x, Vector& out) {
    out = b;
    for (Eigen::Index i = 0; i < w.cols(); ++i)
        if (x[i] != 0.0) kernels::add_scaled(out, x[i], w.col(i).data());
}

// Softmax of o into p (max subtracted first); returns log-sum-exp of o.
double softmax(const Vector& o, Vector& p) {
    const double top = o.maxCoeff();
    p.resize(o.size());
    double sum = 0.0;
    for (Eigen::Index c = 0; c < o.size(); ++c) {
        p[c] = det_exp(o[c] - top);
        sum += p[c];
    }
    for (Eigen::Index c = 0; c < o.size(); ++c) p[c] /= sum;
    return top + det_log(sum);
}

}  // namespace

void Classifier::fit(const Matrix& x, const std::vector<int>& labels, const ClassifierOptions& o) {
    TDAM_REQUIRE(o.hidden >= 1 && o.hidden <= kMaxClassifierHidden,
            "classifier hidden must be between 1 and " + std::to_string(kMaxClassifierHidden) + " (got " +
                std::to_string(o.hidden) + ")");
    TDAM_REQUIRE(o.epochs >= 1 && o.epochs <= 100000, "classifier epochs must be between 1 and 100000 (got " +
                                                     std::to_string(o.epochs) + ")");
    TDAM_REQUIRE(o.batch >= 1, "classifier batch must be >= 1 (got " + std::to_string(o.batch) + ")");
    TDAM_REQUIRE(std::isfinite(o.learning_rate) && o.learning_rate > 0.0,
            "classifier learning_rate must be positive and finite (got " + num(o.learning_rate) + ")");
    TDAM_REQUIRE(std::isfinite(o.weight_decay) && o.weight_decay >= 0.0,
            "classifier weight_decay must be finite and >= 0 (got " + num(o.weight_decay) + ")");
    TDAM_REQUIRE(x.rows() >= 1 && x.rows() <= limits::kMaxVisible,
            "features must have between 1 and " + std::to_string(limits::kMaxVisible) + " rows (got " +
                std::to_string(x.rows()) + ")");
    TDAM_REQUIRE(x.cols() >= 1, "no training samples");
    TDAM_REQUIRE(static_cast<Eigen::Index>(labels.size()) == x.cols(),
            std::to_string(labels.size()) + " labels for " + std::to_string(x.cols()) + " samples");
    TDAM_REQUIRE(x.rows() * o.hidden <= limits::kMaxWeights, "classifier too large (inputs x hidden)");
    for (Eigen::Index k = 0; k < x.size(); ++k)
        TDAM_REQUIRE(std::isfinite(x.data()[k]), "features must be finite (sample " + std::to_string(k / x.rows()) +
                                                ", feature " + std::to_string(k % x.rows()) + ")");
    int classes = 0;
    for (std::size_t k = 0; k < labels.size(); ++k) {
        TDAM_REQUIRE(labels[k] >= 0 && labels[k] < kMaxClasses,
                "label " + std::to_string(k) + " is " + std::to_string(labels[k]) + ", expected 0.." +
                    std::to_string(kMaxClasses - 1));
        classes = std::max(classes, labels[k] + 1);
    }

    const Eigen::Index n_in = x.rows();
    const int nh = o.hidden;
    const Eigen::Index count = x.cols();
    Rng rng(o.seed);
    Matrix w1(nh, n_in), w2(classes, nh);
    const double s1 = std::sqrt(2.0 / static_cast<double>(n_in));
    const double s2 = std::sqrt(1.0 / static_cast<double>(nh));
    for (Eigen::Index i = 0; i < n_in; ++i)
        for (int j = 0; j < nh; ++j) w1(j, i) = s1 * rng.normal();
    for (int j = 0; j < nh; ++j)
        for (int c = 0; c < classes; ++c) w2(c, j) = s2 * rng.normal();
    Vector b1 = Vector::Zero(nh), b2 = Vector::Zero(classes);
    Adam aw1(w1.size()), ab1(nh), aw2(w2.size()), ab2(classes);
    Matrix gw1(nh, n_in), gw2(classes, nh);
    Vector gb1(nh), gb2(classes), z, r(nh), out, prob, dout(classes), dz(nh);
    std::vector<int> order(static_cast<std::size_t>(count));
    for (Eigen::Index k = 0; k < count; ++k) order[static_cast<std::size_t>(k)] = static_cast<int>(k);
    const int batch = static_cast<int>(std::min<Eigen::Index>(o.batch, count));
    const std::int64_t batches = (count + batch - 1) / batch;
    const std::int64_t total = batches * o.epochs;
    double b1t = 1.0, b2t = 1.0;
    std::int64_t step = 0;
    std::vector<double> losses;
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        rng.shuffle(order);
        double loss_sum = 0.0;
        for (std::int64_t b = 0; b < batches; ++b) {
            const Eigen::Index first = b * batch;
            const int bs = static_cast<int>(std::min<Eigen::Index>(batch, count - first));
            const double inv_bs = 1.0 / static_cast<double>(bs);
            gw1.setZero();
            gw2.setZero();
            gb1.setZero();
            gb2.setZero();
            for (int n = 0; n < bs; ++n) {
                const int k = order[static_cast<std::size_t>(first + n)];
                const double* xk = x.col(k).data();
                const int y = labels[static_cast<std::size_t>(k)];
                // Forward.
                affine(w1, b1, xk, z);
                for (int j = 0; j < nh; ++j) r[j] = z[j] > 0.0 ? z[j] : 0.0;
                affine(w2, b2, r.data(), out);
                const double lse = softmax(out, prob);
                loss_sum += lse - out[y];
                // Backward: d(loss)/d(out) = prob - onehot(y), averaged over the batch.
                for (int c = 0; c < classes; ++c) dout[c] = (prob[c] - (c == y ? 1.0 : 0.0)) * inv_bs;
                for (int c = 0; c < classes; ++c) gb2[c] += dout[c];
                for (int j = 0; j < nh; ++j) {
                    if (r[j] == 0.0) {  // ReLU off: no gradient flows through unit j
                        dz[j] = 0.0;
                        continue;
                    }
                    double* g = gw2.col(j).data();
                    for (int c = 0; c < classes; ++c) g[c] += r[j] * dout[c];
                    dz[j] = kernels::dot(w2.col(j).data(), dout.data(), classes);
                }
                for (int j = 0; j < nh; ++j) gb1[j] += dz[j];
                for (Eigen::Index i = 0; i < n_in; ++i) {
                    const double xi = xk[i];
                    if (xi == 0.0) continue;
                    double* g = gw1.col(i).data();
                    for (int j = 0; j < nh; ++j) g[j] += xi * dz[j];
                }
            }
            if (o.weight_decay > 0.0) {
                for (Eigen::Index k = 0; k < gw1.size(); ++k) gw1.data()[k] += o.weight_decay * w1.data()[k];
                for (Eigen::Index k = 0; k < gw2.size(); ++k) gw2.data()[k] += o.weight_decay * w2.data()[k];
            }
            ++step;
            b1t *= 0.9;
            b2t *= 0.999;
            aw1.step(w1.data(), gw1.data(), o.learning_rate, 1.0 - b1t, 1.0 - b2t);
            ab1.step(b1.data(), gb1.data(), o.learning_rate, 1.0 - b1t, 1.0 - b2t);
            aw2.step(w2.data(), gw2.data(), o.learning_rate, 1.0 - b1t, 1.0 - b2t);
            ab2.step(b2.data(), gb2.data(), o.learning_rate, 1.0 - b1t, 1.0 - b2t);
            if (o.progress && step % 16 == 0 && !o.progress(static_cast<double>(step) / static_cast<double>(total)))
                throw Cancelled();
        }
        for (Eigen::Index k = 0; k < w1.size(); ++k)
            TDAM_REQUIRE(std::isfinite(w1.data()[k]), "classifier training diverged; lower learning_rate");
        losses.push_back(loss_sum / static_cast<double>(count));
        if (o.progress && !o.progress(static_cast<double>(step) / static_cast<double>(total))) throw Cancelled();
    }
    w1_ = std::move(w1);
    b1_ = std::move(b1);
    w2_ = std::move(w2);
    b2_ = std::move(b2);
    classes_ = classes;
    loss_per_epoch_ = std::move(losses);
}

void Classifier::check_features(const Matrix& features) const {
    TDAM_REQUIRE(trained(), "the classifier has not been trained (call fit first)");
    TDAM_REQUIRE(features.rows() == w1_.cols(), "features have " + std::to_string(features.rows()) +
                                               " rows, the classifier was trained on " +
                                               std::to_string(w1_.cols()));
    for (Eigen::Index k = 0; k < features.size(); ++k)
        TDAM_REQUIRE(std::isfinite(features.data()[k]), "features must be finite (sample " +
                                                       std::to_string(k / features.rows()) + ")");
}

Matrix Classifier::probabilities(const Matrix& features) const {
    check_features(features);
    Matrix p(classes_, features.cols());
    Vector z, r(w1_.rows()), out, prob;
    for (Eigen::Index k = 0; k < features.cols(); ++k) {
        affine(w1_, b1_, features.col(k).data(), z);
        for (Eigen::Index j = 0; j < z.size(); ++j) r[j] = z[j] > 0.0 ? z[j] : 0.0;
        affine(w2_, b2_, r.data(), out);
        softmax(out, prob);
        p.col(k) = prob;
    }
    return p;
}

std::vector<int> Classifier::predict(const Matrix& features) const {
    const Matrix p = probabilities(features);
    std::vector<int> out(static_cast<std::size_t>(p.cols()));
    for (Eigen::Index k = 0; k < p.cols(); ++k) {
        int best = 0;
        for (int c = 1; c < classes_; ++c)
            if (p(c, k) > p(best, k)) best = c;
        out[static_cast<std::size_t>(k)] = best;
    }
    return out;
}

double Classifier::accuracy(const Matrix& features, const std::vector<int>& labels) const {
    TDAM_REQUIRE(static_cast<Eigen::Index>(labels.size()) == features.cols(),
            std::to_string(labels.size()) + " labels for " + std::to_string(features.cols()) + " samples");
    TDAM_REQUIRE(features.cols() >= 1, "no samples to score");
    const std::vector<int> predicted = predict(features);
    int right = 0;
    for (std::size_t k = 0; k < labels.size(); ++k) right += predicted[k] == labels[k] ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(labels.size());
}

}  // namespace tdam
