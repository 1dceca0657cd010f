// Generated from the zod schemas in definitions.ts by test/unit/tools/toolJsonSchemas.test.ts, which
// fails when the two differ (regenerate: UPDATE_TOOL_SCHEMAS=1 npx mocha --config .mocharc.json
// test/unit/tools/toolJsonSchemas.test.ts). Data, so the bundle needs no JSON Schema generator.
import type { CustomToolName } from './definitions';

export const toolJsonSchemas: Record<CustomToolName, Record<string, unknown>> = {
  "read_file": {
    "type": "object",
    "properties": {
      "path": {
        "type": "string",
        "minLength": 1,
        "description": "Path relative to the workspace folder, e.g. \"src/app.ts\"."
      },
      "start_line": {
        "description": "First line to show (1-based). Default 1.",
        "type": "integer",
        "minimum": 1
      },
      "end_line": {
        "description": "Last line to show (inclusive); -1 or absent for the end of the file.",
        "type": "integer",
        "minimum": -1
      }
    },
    "required": [
      "path"
    ]
  },
  "list_directory": {
    "type": "object",
    "properties": {
      "path": {
        "default": ".",
        "description": "Folder relative to the workspace; \".\" for the top.",
        "type": "string"
      }
    }
  },
  "find_files": {
    "type": "object",
    "properties": {
      "pattern": {
        "type": "string",
        "minLength": 1,
        "description": "Glob relative to the workspace, e.g. \"**/*.test.ts\" or \"src/**/index.*\"."
      },
      "max_results": {
        "description": "Default 200.",
        "type": "integer",
        "minimum": 1,
        "maximum": 1000
      }
    },
    "required": [
      "pattern"
    ]
  },
  "search_text": {
    "type": "object",
    "properties": {
      "query": {
        "type": "string",
        "minLength": 1,
        "description": "Text to find; a regular expression in Rust/RE2 syntax (no backreferences or look-around) when is_regex is true."
      },
      "is_regex": {
        "type": "boolean"
      },
      "case_sensitive": {
        "type": "boolean"
      },
      "include": {
        "description": "Only files matching this glob, e.g. \"src/**/*.ts\".",
        "type": "string",
        "minLength": 1
      },
      "max_results": {
        "description": "Most matching lines to return. Default 50.",
        "type": "integer",
        "minimum": 1,
        "maximum": 200
      }
    },
    "required": [
      "query"
    ]
  },
  "get_selection": {
    "type": "object",
    "properties": {}
  },
  "get_diagnostics": {
    "type": "object",
    "properties": {
      "path": {
        "description": "A file; absent for every file with problems.",
        "type": "string",
        "minLength": 1
      }
    }
  },
  "propose_edit": {
    "type": "object",
    "properties": {
      "path": {
        "type": "string",
        "minLength": 1,
        "description": "Path relative to the workspace folder, e.g. \"src/app.ts\"."
      },
      "action": {
        "type": "string",
        "enum": [
          "replace",
          "insert",
          "create"
        ],
        "description": "replace: old_text → new_text. insert: new_text after line `line`. create: a new file with new_text."
      },
      "old_text": {
        "description": "replace only: the exact text to replace, copied from the file (whitespace included, no line numbers). Must occur exactly once: include surrounding lines if needed.",
        "type": "string"
      },
      "new_text": {
        "type": "string",
        "description": "The replacement, the text to insert, or the new file's content."
      },
      "line": {
        "description": "insert only: insert after this line (0 = top of the file).",
        "type": "integer",
        "minimum": 0
      }
    },
    "required": [
      "path",
      "action",
      "new_text"
    ]
  },
  "run_command": {
    "type": "object",
    "properties": {
      "command": {
        "type": "string",
        "minLength": 1,
        "maxLength": 8000,
        "description": "The shell command line, e.g. \"npm test\" or \"git status\". The user sees it and decides whether it runs."
      },
      "cwd": {
        "description": "Working folder relative to the workspace; default the workspace folder.",
        "type": "string",
        "minLength": 1
      },
      "timeoutSeconds": {
        "description": "Stop the command after this many seconds. Default from the user's settings (120).",
        "type": "integer",
        "minimum": 1,
        "maximum": 3600
      }
    },
    "required": [
      "command"
    ]
  }
};
