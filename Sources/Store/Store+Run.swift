extension Store {
    /// Runs `body` inside a run recorded as `command` with `arguments`: ended `ok` when it
    /// returns, `failed` when it throws, so that a failure never leaves a run "running".
    public func recordingRun<T>(_ command: String, arguments: [String] = Array(CommandLine.arguments.dropFirst()), _ body: () throws -> T) throws -> T {
        let run = try startRun(command: command, arguments: arguments)
        do {
            let value = try body()
            try endRun(run, status: "ok")
            return value
        } catch {
            try? endRun(run, status: "failed")
            throw error
        }
    }
}
