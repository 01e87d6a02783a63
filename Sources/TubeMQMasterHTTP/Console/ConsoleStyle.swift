/// The console's style sheet.
enum ConsoleStyle {
    static let text = #"""
        :root { --ink: #1d2430; --muted: #5b6573; --line: #d8dde4; --accent: #1f6feb; --bad: #b42318; --good: #067647; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: #f6f8fa; }
        header { display: flex; align-items: center; gap: 24px; padding: 10px 20px; background: #fff;
          border-bottom: 1px solid var(--line); flex-wrap: wrap; }
        header h1 { font-size: 17px; margin: 0; }
        nav { display: flex; gap: 4px; }
        nav a { padding: 6px 12px; border-radius: 6px; color: var(--ink); text-decoration: none; }
        nav a.current { background: var(--accent); color: #fff; }
        .token { margin-left: auto; color: var(--muted); }
        .token input { margin-left: 6px; width: 170px; }
        #status { margin: 12px 20px 0; min-height: 1.5em; white-space: pre-wrap; }
        #status.error { color: var(--bad); font-weight: 600; }
        #status.ok { color: var(--good); }
        main { padding: 8px 20px 40px; }
        h2 { font-size: 16px; margin: 18px 0 8px; }
        h3 { font-size: 15px; margin: 16px 0 6px; }
        table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); margin: 6px 0; }
        th, td { padding: 5px 9px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td input[type=text] { width: 88px; }
        td input.wide { width: 120px; }
        .state { padding: 1px 7px; border-radius: 10px; background: #eef1f5; white-space: nowrap; }
        .state-online, .state-active { background: #dcfae6; }
        .state-standby { background: #f2f4f7; }
        .state-offline { background: #fee4e2; }
        .state-draft { background: #fef0c7; }
        .state-only-read, .state-only-write { background: #d1e9ff; }
        .state-deleted, .state-removed { background: #fee4e2; }
        .state-unknown { background: #f2f4f7; }
        form.panel, div.panel { background: #fff; border: 1px solid var(--line); padding: 10px 12px; margin: 8px 0;
          display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; }
        form.panel label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
        form.panel input[type=text] { width: 130px; }
        .brokers { display: flex; gap: 10px; flex-wrap: wrap; }
        .brokers label { flex-direction: row; gap: 4px; align-items: center; color: var(--ink); font-size: 14px; }
        button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff;
          cursor: pointer; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.danger { color: var(--bad); }
        button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; }
        input[type=search] { width: 260px; padding: 5px 8px; }
        .empty, .note { color: var(--muted); }
        tr.attention td { background: #fffaeb; }

        """#
}
