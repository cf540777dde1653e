//! Starts the runners, sets them up on the same data set, and runs every
//! workload's rounds interleaved: round `r` asks engine `r mod 3` first, then
//! the next ones, so that no engine always follows the same other engine's
//! fsyncs. Each runner times its own operation; the driver only collects.

use crate::workloads::{Workload, ENGINES};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// A runner process.
pub struct RunnerProc {
    pub engine: &'static str,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// A runner's answer that is not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `ok <rest>`.
    Ok(String),
    /// `na <reason>`.
    Unsupported(String),
}

impl RunnerProc {
    /// Starts `program` (its stderr goes to ours: progress of long setups).
    pub fn spawn(engine: &'static str, program: &Path) -> Result<RunnerProc, String> {
        let mut child = Command::new(program)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("{engine} runner {}: {e}", program.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(RunnerProc {
            engine,
            child,
            stdin,
            stdout,
        })
    }

    /// Sends one command and reads its answer.
    pub fn call(&mut self, command: &str) -> Result<Reply, String> {
        let engine = self.engine;
        writeln!(self.stdin, "{command}")
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("{engine}: {e}"))?;
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .map_err(|e| format!("{engine}: {e}"))?;
        if n == 0 {
            return Err(format!("{engine} runner exited during {command:?}"));
        }
        let line = line.trim_end();
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "ok" => Ok(Reply::Ok(rest.to_string())),
            "na" => Ok(Reply::Unsupported(rest.to_string())),
            "err" => Err(format!("{engine}: {rest}")),
            _ => Err(format!("{engine}: unexpected answer {line:?}")),
        }
    }

    /// Asks the runner to quit and waits for it.
    pub fn quit(mut self) {
        let _ = writeln!(self.stdin, "quit").and_then(|()| self.stdin.flush());
        let _ = self.child.wait();
    }
}

/// What one engine gave for one workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineResult {
    /// Values (ns or bytes) and result counts of the kept rounds.
    Samples { values: Vec<u64>, counts: Vec<u64> },
    /// The runner has no such workload.
    Unsupported(String),
    /// It failed; the message goes into the report.
    Failed(String),
}

/// One workload's results, per engine in [`ENGINES`] order.
#[derive(Debug, Clone)]
pub struct WorkloadResult {
    pub workload: Workload,
    pub engines: Vec<EngineResult>,
}

fn parse_sample(reply: &str) -> Result<(u64, u64), String> {
    let mut it = reply.split_whitespace().map(str::parse::<u64>);
    match (it.next(), it.next()) {
        (Some(Ok(v)), Some(Ok(c))) => Ok((v, c)),
        _ => Err(format!("bad sample {reply:?}")),
    }
}

/// Runs one workload on every runner, interleaved.
/// `budget`: how long a runner may take to prepare (accumulating alerts);
/// `pause`: idle time before each round of each engine.
pub fn run_workload(
    runners: &mut [RunnerProc],
    w: &Workload,
    budget: Duration,
    pause: Duration,
) -> WorkloadResult {
    let mut results: Vec<EngineResult> = runners
        .iter()
        .map(|_| EngineResult::Samples {
            values: Vec::new(),
            counts: Vec::new(),
        })
        .collect();
    for (r, result) in runners.iter_mut().zip(results.iter_mut()) {
        let t = Instant::now();
        match r.call(&format!("prepare {} {} {}", w.id, w.arg, budget.as_secs())) {
            Ok(Reply::Ok(_)) => {}
            Ok(Reply::Unsupported(why)) => *result = EngineResult::Unsupported(why),
            Err(e) => *result = EngineResult::Failed(e),
        }
        if t.elapsed().as_secs() >= 5 {
            eprintln!(
                "   {} prepared in {:.0} s",
                r.engine,
                t.elapsed().as_secs_f64()
            );
        }
    }
    let n = runners.len();
    for round in 0..w.warmup + w.rounds {
        for k in 0..n {
            let i = (round + k) % n;
            if !matches!(results[i], EngineResult::Samples { .. }) {
                continue;
            }
            std::thread::sleep(pause);
            let reply = runners[i].call(&format!("run {} {}", w.id, w.arg));
            match reply.and_then(|r| match r {
                Reply::Ok(s) => parse_sample(&s).map(Ok),
                Reply::Unsupported(why) => Ok(Err(why)),
            }) {
                Ok(Ok((v, c))) => {
                    if let (true, EngineResult::Samples { values, counts }) =
                        (round >= w.warmup, &mut results[i])
                    {
                        values.push(v);
                        counts.push(c);
                    }
                }
                Ok(Err(why)) => results[i] = EngineResult::Unsupported(why),
                Err(e) => results[i] = EngineResult::Failed(e),
            }
        }
    }
    WorkloadResult {
        workload: w.clone(),
        engines: results,
    }
}

/// Starts the three runners in [`ENGINES`] order.
pub fn start(programs: &[&Path; 3]) -> Result<Vec<RunnerProc>, String> {
    ENGINES
        .iter()
        .zip(programs)
        .map(|(engine, program)| RunnerProc::spawn(engine, program))
        .collect()
}
