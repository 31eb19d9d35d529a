// Just enough of the `vscode` API for the bundled extension and vscode-languageclient to activate,
// start a server and run the extension's commands under plain Node. What the test needs to see is
// real (settings, trust, commands, messages, diagnostics); everything else is an inert stand-in.

import * as path from "node:path";

type Listener<T> = (event: T) => unknown;

export class FakeEventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return new FakeDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class FakeDisposable {
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): FakeDisposable {
    return new FakeDisposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class FakeUri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = "",
    readonly fragment = "",
  ) {}
  static file(fsPath: string): FakeUri {
    return new FakeUri("file", "", path.resolve(fsPath).split(path.sep).join("/"));
  }
  static parse(value: string): FakeUri {
    const url = new URL(value);
    return new FakeUri(url.protocol.replace(/:$/, ""), url.host, decodeURIComponent(url.pathname));
  }
  get fsPath(): string {
    return this.path.split("/").join(path.sep);
  }
  with(change: Partial<{ scheme: string; authority: string; path: string }>): FakeUri {
    return new FakeUri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${encodeURI(this.path)}`;
  }
  toJSON(): object {
    return { scheme: this.scheme, authority: this.authority, path: this.path };
  }
}

export class FakePosition {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class FakeRange {
  readonly start: FakePosition;
  readonly end: FakePosition;
  constructor(start: FakePosition | number, end: FakePosition | number, endLine?: number, endCharacter?: number) {
    if (typeof start === "number" && typeof end === "number") {
      this.start = new FakePosition(start, end);
      this.end = new FakePosition(endLine ?? start, endCharacter ?? end);
    } else {
      this.start = start as FakePosition;
      this.end = end as FakePosition;
    }
  }
}

export class FakeDiagnostic {
  code?: unknown;
  source?: string;
  tags?: unknown[];
  relatedInformation?: unknown[];
  constructor(
    readonly range: FakeRange,
    readonly message: string,
    readonly severity: number = 0,
  ) {}
}

export class FakeCancellationTokenSource {
  private readonly cancelled = new FakeEventEmitter<void>();
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: this.cancelled.event,
  };
  cancel(): void {
    if (!this.token.isCancellationRequested) {
      this.token.isCancellationRequested = true;
      this.cancelled.fire();
    }
  }
  dispose(): void {
    this.cancelled.dispose();
  }
}

export class FakeTabInputText {
  constructor(readonly uri: FakeUri) {}
}

/** An open Python file, shaped as the language client reads a `vscode.TextDocument`. */
export function fakeTextDocument(fsPath: string, text: string, languageId = "python") {
  const uri = FakeUri.file(fsPath);
  return {
    uri,
    fileName: fsPath,
    languageId,
    version: 1,
    isClosed: false,
    isDirty: false,
    isUntitled: false,
    lineCount: text.split("\n").length,
    getText: () => text,
  };
}

export interface FakeState {
  /** Effective values by full name ("hasten.model.threshold"), defaults included. */
  settings: Record<string, unknown>;
  trusted: boolean;
  workspaceFolder: string;
  /** When set, a fake Python extension reports this command as its interpreter. */
  pythonExecCommand?: string[];
  activeTextEditor?: unknown;
  /** Documents open (and shown in a tab) before the extension starts. */
  textDocuments: ReturnType<typeof fakeTextDocument>[];
  /** What `languages.getDiagnostics` returns; the language client's collection writes here too. */
  diagnostics: Map<string, unknown[]>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  executed: { command: string; args: unknown[] }[];
  messages: { level: "info" | "warning" | "error"; text: string }[];
  log: string[];
  configurationChanged: FakeEventEmitter<{ affectsConfiguration(name: string): boolean }>;
  trustGranted: FakeEventEmitter<void>;
}

export function createState(settings: Record<string, unknown>, workspaceFolder: string): FakeState {
  return {
    settings,
    trusted: true,
    workspaceFolder,
    textDocuments: [],
    diagnostics: new Map(),
    commands: new Map(),
    executed: [],
    messages: [],
    log: [],
    configurationChanged: new FakeEventEmitter(),
    trustGranted: new FakeEventEmitter(),
  };
}

/** A value for anything the test does not care about: callable, constructible, endlessly nested. */
export function inert(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {
    /* placeholder */
  };
  return new Proxy(target, {
    get(t, key) {
      if (key in t) {
        return Reflect.get(t, key);
      }
      if (key === "then" || typeof key === "symbol") {
        return undefined;
      }
      if (!cache.has(key)) {
        cache.set(key, inert());
      }
      return cache.get(key);
    },
    apply() {
      return inert();
    },
  });
}

/** Wrap `real` so that properties it lacks fall back to inert stand-ins. */
function withFallback<T extends object>(real: T): T {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(real, {
    get(t, key, receiver) {
      if (key in t || typeof key === "symbol" || key === "then") {
        return Reflect.get(t, key, receiver);
      }
      if (typeof key === "string" && /^on(Did|Will)/.test(key)) {
        return new FakeEventEmitter<unknown>().event;
      }
      if (!cache.has(key)) {
        cache.set(key, inert());
      }
      return cache.get(key);
    },
  });
}

function configuration(state: FakeState, section?: string) {
  const full = (key: string) => (section ? `${section}.${key}` : key);
  return withFallback({
    get(key: string, fallback?: unknown) {
      const name = full(key);
      if (name in state.settings) {
        return state.settings[name];
      }
      // A group ("hasten" or "hasten.model") reads as the nested object of its settings.
      const nested: Record<string, unknown> = {};
      let found = false;
      for (const [setting, value] of Object.entries(state.settings)) {
        if (!setting.startsWith(name + ".")) {
          continue;
        }
        found = true;
        const parts = setting.slice(name.length + 1).split(".");
        let node = nested;
        for (const part of parts.slice(0, -1)) {
          node = (node[part] ??= {}) as Record<string, unknown>;
        }
        node[parts[parts.length - 1]] = value;
      }
      return found ? nested : fallback;
    },
    has(key: string) {
      return full(key) in state.settings;
    },
    inspect() {
      return undefined;
    },
    update() {
      return Promise.resolve();
    },
  });
}

function outputChannel(state: FakeState, name: string) {
  const write = (level: string) => (text: string) => state.log.push(`[${name}] ${level} ${text}`);
  return withFallback({
    name,
    logLevel: 2,
    onDidChangeLogLevel: new FakeEventEmitter<number>().event,
    trace: write("trace"),
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: (error: unknown) => write("error")(error instanceof Error ? error.message : String(error)),
    append: write(""),
    appendLine: write(""),
    replace: write(""),
    clear() {},
    show() {
      state.log.push(`[${name}] shown`);
    },
    hide() {},
    dispose() {},
  });
}

function diagnosticCollection(state: FakeState) {
  const entries = state.diagnostics;
  return withFallback({
    name: "hasten",
    set(uri: FakeUri, diagnostics: unknown[]) {
      entries.set(uri.toString(), diagnostics);
    },
    get(uri: FakeUri) {
      return entries.get(uri.toString());
    },
    delete(uri: FakeUri) {
      entries.delete(uri.toString());
    },
    has(uri: FakeUri) {
      return entries.has(uri.toString());
    },
    clear() {
      entries.clear();
    },
    forEach() {},
    dispose() {},
  });
}

/** `languages.match` for the document filters the extension uses: language and scheme. */
function matchScore(selector: unknown, document: { uri: FakeUri; languageId: string }): number {
  const filters = Array.isArray(selector) ? selector : [selector];
  const hit = filters.some((filter) => {
    if (typeof filter === "string") {
      return filter === document.languageId;
    }
    const { language, scheme } = filter as { language?: string; scheme?: string };
    return (language === undefined || language === document.languageId) && (scheme === undefined || scheme === document.uri.scheme);
  });
  return hit ? 10 : 0;
}

export function createFakeVscode(state: FakeState): unknown {
  const folderUri = FakeUri.file(state.workspaceFolder);
  const folder = { uri: folderUri, name: path.basename(state.workspaceFolder), index: 0 };
  const message = (level: "info" | "warning" | "error") => (text: string) => {
    state.messages.push({ level, text });
    return Promise.resolve(undefined);
  };

  const pythonExtension = () =>
    state.pythonExecCommand && {
      id: "ms-python.python",
      isActive: true,
      packageJSON: {},
      exports: {
        settings: {
          getExecutionDetails: () => ({ execCommand: state.pythonExecCommand }),
          onDidChangeExecutionDetails: new FakeEventEmitter<unknown>().event,
        },
      },
      activate: () => Promise.resolve(undefined),
    };

  return withFallback({
    version: "1.82.0",
    Uri: FakeUri,
    EventEmitter: FakeEventEmitter,
    Disposable: FakeDisposable,
    Position: FakePosition,
    Range: FakeRange,
    Diagnostic: FakeDiagnostic,
    TabInputText: FakeTabInputText,
    CancellationTokenSource: FakeCancellationTokenSource,
    LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    env: withFallback({ appName: "fake", appRoot: "", language: "en", machineId: "m", sessionId: "s", uiKind: 1 }),
    workspace: withFallback({
      get isTrusted() {
        return state.trusted;
      },
      workspaceFolders: [folder],
      get textDocuments() {
        return state.textDocuments;
      },
      notebookDocuments: [],
      getWorkspaceFolder: () => folder,
      getConfiguration: (section?: string) => configuration(state, section),
      onDidChangeConfiguration: state.configurationChanged.event,
      onDidGrantWorkspaceTrust: state.trustGranted.event,
    }),
    window: withFallback({
      get activeTextEditor() {
        return state.activeTextEditor;
      },
      visibleTextEditors: [],
      tabGroups: withFallback({
        get all() {
          return [{ tabs: state.textDocuments.map((document) => ({ input: new FakeTabInputText(document.uri) })) }];
        },
        onDidChangeTabs: new FakeEventEmitter<unknown>().event,
      }),
      createOutputChannel: (name: string) => outputChannel(state, name),
      showInformationMessage: message("info"),
      showWarningMessage: message("warning"),
      showErrorMessage: message("error"),
      showQuickPick: (items: unknown[]) => Promise.resolve(items[0]),
      withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) =>
        Promise.resolve(
          task(
            { report() {} },
            { isCancellationRequested: false, onCancellationRequested: new FakeEventEmitter<void>().event },
          ),
        ),
    }),
    languages: withFallback({
      match: matchScore,
      createDiagnosticCollection: () => diagnosticCollection(state),
      createLanguageStatusItem: (id: string) => withFallback({ id, dispose() {} }),
      getDiagnostics: (uri: FakeUri) => state.diagnostics.get(uri.toString()) ?? [],
    }),
    commands: withFallback({
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        if (state.commands.has(id)) {
          // As VS Code does.
          throw new Error(`command '${id}' already exists`);
        }
        state.commands.set(id, handler);
        return new FakeDisposable(() => state.commands.delete(id));
      },
      executeCommand: (command: string, ...args: unknown[]) => {
        state.executed.push({ command, args });
        const handler = state.commands.get(command);
        return Promise.resolve(handler ? handler(...args) : undefined);
      },
    }),
    extensions: withFallback({
      getExtension: (id: string) => (id === "ms-python.python" ? pythonExtension() : undefined),
      all: [],
    }),
  });
}
