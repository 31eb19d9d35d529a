-- Drives a real Neovim against hasten: attach, wait for diagnostics, request code actions for one
-- diagnostic, apply the preferred quick fix, and write what happened to a JSON file.
-- Written for the Neovim API shared by 0.7 and later (vim.lsp.start_client + buf_attach_client).
local hasten, target, out, wanted_code = unpack(vim.g.hasten_args)

local function finish(result)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = "hasten",
    -- As docs/editors.md starts it: the hasten executable, outside the project.
    cmd = { hasten, "server" },
    cmd_cwd = vim.fn.expand("~"),
    root_dir = vim.fn.fnamemodify(target, ":h"),
    init_options = { debounce = 0, model = { enable = false } },
  })
  assert(client_id, "hasten did not start")
  vim.cmd("edit " .. vim.fn.fnameescape(target))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)

  local got = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  if not got then
    finish({ error = "no diagnostics within 30 s" })
    return
  end
  vim.wait(500) -- a later publish may refine the first one

  local diagnostics = {}
  local chosen
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    -- Rebuild the protocol diagnostic: depending on the version, user_data.lsp holds all of it
    -- or only the fields vim.diagnostic has no place for (code, data, ...).
    local extra = (d.user_data and d.user_data.lsp) or {}
    local code = extra.code or d.code
    local lsp_diag = {
      range = {
        start = { line = d.lnum, character = d.col },
        ["end"] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
      },
      message = d.message, source = d.source, code = code, severity = d.severity, data = extra.data,
    }
    table.insert(diagnostics, {
      code = code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      source = d.source, message = d.message,
    })
    if code == wanted_code and not chosen then
      chosen = lsp_diag
    end
  end
  if not chosen then
    finish({ diagnostics = diagnostics, error = "no diagnostic with code " .. wanted_code })
    return
  end

  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = chosen.range,
    context = { diagnostics = { chosen }, only = { "quickfix" } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 20000) or {}
  local titles, applied = {}, nil
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, action.title)
      if action.isPreferred and action.edit and not applied then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        applied = action.title
      end
    end
  end
  finish({
    diagnostics = diagnostics,
    actions = titles,
    applied = applied,
    lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false),
  })
end)
if not ok then
  finish({ error = tostring(err) })
end
