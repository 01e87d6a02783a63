/// The charts page: messages/s in and out per topic and per broker, and lag per group, over the last
/// minutes. Every few seconds it reads each broker's `/metrics` (from the broker's web port, as the
/// master's broker list gives it), turns counters into rates, and draws SVG line charts.
enum ConsoleChartsScript {
    static let text = #"""
        "use strict";
        (() => {
          const { el, query, page, metrics } = tube;
          const WINDOW_MS = 5 * 60 * 1000;
          const PERIOD_MS = 2000;
          const COLORS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0550ae", "#57606a"];
          const SVG = "http://www.w3.org/2000/svg";
          // Scrapes, oldest first: { time, brokers: { id: { in: {topic: n}, out: {topic: n} } }, lag: {group: n} }.
          const history = [];
          let brokers = [];
          let section = null;
          // Whether the polling loop runs: at most one does, however often the tab is opened.
          let polling = false;

          // The samples of a Prometheus text page: name, labels, value (comments skipped).
          function parse(text) {
            const samples = [];
            for (const raw of text.split("\n")) {
              const line = raw.trim();
              if (line === "" || line.startsWith("#")) continue;
              const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
              if (!match) continue;
              const labels = {};
              const pairs = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
              let pair;
              while ((pair = pairs.exec(match[2] || "")) !== null) {
                labels[pair[1]] = pair[2].replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
              }
              samples.push({ name: match[1], labels, value: Number(match[3]) });
            }
            return samples;
          }

          function byLabel(samples, name, label) {
            const result = {};
            for (const sample of samples) {
              if (sample.name !== name) continue;
              const key = sample.labels[label] || "";
              result[key] = (result[key] || 0) + sample.value;
            }
            return result;
          }

          // Reads every broker at once; one that does not answer within the timeout of metrics() is noted
          // and the others are drawn.
          async function scrape() {
            const point = { time: Date.now(), brokers: {}, lag: {}, unreachable: [] };
            await Promise.all(brokers.map(async (broker) => {
              try {
                const samples = parse(await metrics(broker));
                point.brokers[broker.brokerId] = {
                  in: byLabel(samples, "tubemq_broker_msg_in_total", "topic"),
                  out: byLabel(samples, "tubemq_broker_msg_out_total", "topic"),
                };
                for (const [group, lag] of Object.entries(byLabel(samples, "tubemq_broker_consumer_lag", "group"))) {
                  point.lag[group] = (point.lag[group] || 0) + lag;
                }
              } catch (error) {
                point.unreachable.push(broker.brokerId);
              }
            }));
            history.push(point);
            while (history.length > 0 && history[0].time < point.time - WINDOW_MS) history.shift();
            return point;
          }

          // Rate series between consecutive scrapes: key(brokerId, topic) names the series a
          // counter adds to; a broker missing from either scrape adds nothing to that interval.
          function rates(direction, key) {
            const series = {};
            for (let i = 1; i < history.length; i++) {
              const before = history[i - 1];
              const after = history[i];
              const seconds = (after.time - before.time) / 1000;
              if (seconds <= 0) continue;
              const sums = {};
              for (const [id, now] of Object.entries(after.brokers)) {
                const then = before.brokers[id];
                if (!then) continue;
                for (const [topic, count] of Object.entries(now[direction])) {
                  const name = key(id, topic);
                  sums[name] = (sums[name] || 0) + Math.max(0, count - (then[direction][topic] || 0)) / seconds;
                }
              }
              for (const [name, value] of Object.entries(sums)) {
                (series[name] = series[name] || []).push([after.time, value]);
              }
            }
            return series;
          }

          function lagSeries() {
            const series = {};
            for (const point of history) {
              for (const [group, lag] of Object.entries(point.lag)) (series[group] = series[group] || []).push([point.time, lag]);
            }
            return series;
          }

          function svg(tag, attrs) {
            const node = document.createElementNS(SVG, tag);
            for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
            return node;
          }

          function number(value) {
            return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
          }

          // One line chart: a title, the lines, a y scale, and a legend with each series' last value.
          function chart(id, title, unit, series) {
            const width = 560;
            const height = 170;
            const left = 48;
            const now = Date.now();
            const names = Object.keys(series).sort();
            const max = Math.max(1, ...names.flatMap((name) => series[name].map((p) => p[1])));
            const top = max * 1.1;
            const x = (time) => left + (width - left - 8) * (1 - (now - time) / WINDOW_MS);
            const y = (value) => 8 + (height - 30) * (1 - value / top);
            const drawing = svg("svg", { width, height, viewBox: "0 0 " + width + " " + height, class: "chart-plot" });
            for (const fraction of [0, 0.5, 1]) {
              const value = top * fraction;
              drawing.append(svg("line", { x1: left, x2: width - 8, y1: y(value), y2: y(value), stroke: "#d8dde4" }));
              const label = svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", "font-size": 11, fill: "#5b6573" });
              label.textContent = number(value);
              drawing.append(label);
            }
            const axis = svg("text", { x: left, y: height - 6, "font-size": 11, fill: "#5b6573" });
            axis.textContent = "last " + WINDOW_MS / 60000 + " minutes, " + unit;
            drawing.append(axis);
            const legend = el("ul", { class: "chart-legend" });
            names.forEach((name, index) => {
              const color = COLORS[index % COLORS.length];
              const points = series[name];
              const last = points.length > 0 ? points[points.length - 1][1] : 0;
              const peak = Math.max(0, ...points.map((p) => p[1]));
              drawing.append(svg("polyline", {
                points: points.map((p) => x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1)).join(" "),
                fill: "none", stroke: color, "stroke-width": 2, "data-series": name, "data-last": last, "data-peak": peak,
                "data-points": points.length,
              }));
              if (points.length > 0) {
                const end = points[points.length - 1];
                drawing.append(svg("circle", { cx: x(end[0]).toFixed(1), cy: y(end[1]).toFixed(1), r: 3, fill: color }));
              }
              const swatch = el("span", { class: "chart-swatch" });
              swatch.style.background = color;
              legend.append(el("li", { "data-series": name, "data-last": last }, swatch, name + ": " + number(last)));
            });
            if (names.length === 0) legend.append(el("li", { class: "empty" }, "no data yet"));
            return el("figure", { class: "chart", id }, el("figcaption", {}, title), drawing, legend);
          }

          function draw(point) {
            if (!section) return;
            const charts = document.getElementById("chart-grid");
            if (!charts) return;
            charts.replaceChildren(
              chart("chart-in-topic", "Messages/s in, per topic", "messages/s", rates("in", (id, topic) => topic)),
              chart("chart-out-topic", "Messages/s out, per topic", "messages/s", rates("out", (id, topic) => topic)),
              chart("chart-in-broker", "Messages/s in, per broker", "messages/s", rates("in", (id) => "broker " + id)),
              chart("chart-out-broker", "Messages/s out, per broker", "messages/s", rates("out", (id) => "broker " + id)),
              chart("chart-lag-group", "Lag per group", "messages not yet consumed", lagSeries()));
            const note = document.getElementById("chart-note");
            note.textContent = !point ? "Reading " + brokers.length + " broker(s)…"
              : "Read every " + PERIOD_MS / 1000 + " s from " + brokers.length + " broker(s)"
                + (point.unreachable.length > 0 ? "; not answering: broker " + point.unreachable.join(", ") : "")
                + ". Updated " + new Date().toLocaleTimeString() + ".";
          }

          // Reads and draws every PERIOD_MS while the tab is shown; the one loop ends when it is left.
          async function poll() {
            if (polling) return;
            polling = true;
            try {
              while (location.hash === "#charts") {
                draw(await scrape());
                await new Promise((resolve) => setTimeout(resolve, PERIOD_MS));
              }
            } finally {
              polling = false;
            }
          }

          page("charts", async (target) => {
            section = target;
            const reply = await query("admin_query_broker_configure", {});
            // A draft broker is not in service (and may not exist yet): it is not read.
            brokers = (reply.data || []).filter((b) => b.brokerIp && b.brokerWebPort && b.manageStatus !== "draft");
            if (!document.getElementById("chart-grid")) {
              target.append(el("h2", {}, "Traffic"), el("p", { class: "note", id: "chart-note" }),
                el("div", { id: "chart-grid", class: "chart-grid" }));
              draw(null);
            }
            poll();
          });
        })();

        """#
}
