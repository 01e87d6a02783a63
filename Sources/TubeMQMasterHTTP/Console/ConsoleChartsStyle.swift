/// The charts page's style sheet.
enum ConsoleChartsStyle {
    static let text = #"""
        .chart-grid { display: flex; flex-wrap: wrap; gap: 14px; }
        .chart { margin: 0; background: #fff; border: 1px solid var(--line); padding: 8px 10px; }
        .chart figcaption { font-weight: 600; margin-bottom: 4px; }
        .chart-legend { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px;
          font-size: 12px; }
        .chart-swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; }

        """#
}
