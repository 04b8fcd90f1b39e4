-- Argo CD health check for mlops.mlops.dev/NotebookValidationJob (the jupyter-notebook-validator-operator's CRD).
-- Argo CD runs this with the object in `obj` and shows the returned status and message.
-- Status fields used: phase, message, completionTime, retryCount, validationPodName, and
-- results[] = {cellIndex, status = Success | Failure | Skipped, errorMessage}.
local hs = {}
local status = obj.status

-- The first line of a possibly long, multi-line text, at most 200 characters.
local function firstLine(text)
  local line = string.match(text, "^[^\n]*")
  if string.len(line) > 200 then
    line = string.sub(line, 1, 197) .. "..."
  end
  return line
end

-- How many cell results have the given status.
local function countCells(results, wanted)
  local n = 0
  for _, result in ipairs(results) do
    if result.status == wanted then
      n = n + 1
    end
  end
  return n
end

if status == nil or status.phase == nil or status.phase == "" then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to start the validation"
  return hs
end

local phase = status.phase
local results = status.results or {}

if phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = "Notebook validation succeeded"
  if #results > 0 then
    hs.message = hs.message .. ": " .. countCells(results, "Success") .. " of " .. #results .. " cells succeeded"
    local skipped = countCells(results, "Skipped")
    if skipped > 0 then
      hs.message = hs.message .. ", " .. skipped .. " skipped"
    end
  end
  if status.completionTime ~= nil and status.completionTime ~= "" then
    hs.message = hs.message .. " at " .. status.completionTime
  end

elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = nil
  for _, result in ipairs(results) do
    if result.status == "Failure" then
      hs.message = "Cell " .. tostring(result.cellIndex) .. " failed"
      if result.errorMessage ~= nil and result.errorMessage ~= "" then
        hs.message = hs.message .. ": " .. firstLine(result.errorMessage)
      end
      break
    end
  end
  if hs.message == nil then
    if status.message ~= nil and status.message ~= "" then
      hs.message = firstLine(status.message)
    else
      hs.message = "Notebook validation failed"
    end
  end
  local retries = tonumber(status.retryCount) or 0
  if retries == 1 then
    hs.message = hs.message .. " (after 1 retry)"
  elseif retries > 1 then
    hs.message = hs.message .. " (after " .. retries .. " retries)"
  end

elseif phase == "ValidationRunning" or phase == "Running" then
  hs.status = "Progressing"
  hs.message = "Running the notebook"
  if #results > 0 then
    hs.message = hs.message .. ": " .. #results .. " cells done"
  end
  if status.validationPodName ~= nil and status.validationPodName ~= "" then
    hs.message = hs.message .. " (pod " .. status.validationPodName .. ")"
  end

elseif phase == "Building" then
  hs.status = "Progressing"
  hs.message = "Building the validation image"

elseif phase == "BuildComplete" then
  hs.status = "Progressing"
  hs.message = "Image built, starting the validation"

elseif phase == "Initializing" or phase == "Pending" then
  hs.status = "Progressing"
  hs.message = "Initializing the validation"

else
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase)
end

return hs
