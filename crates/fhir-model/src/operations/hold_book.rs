//! `Appointment/$hold` and `Appointment/$book` inputs (OperationDefinitions appointment-hold and
//! appointment-book). Both are POST only and not idempotent.

use super::read;
use crate::{Appointment, ModelError, Parameter, Parameters, Resource};

/// `$hold`: hold a proposed appointment by id, or a client-built one (prefetch use case).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HoldParams {
    /// `Appointment/id` of a proposal from `$find` (absent at instance level: the URL says it).
    pub appt_id: Option<String>,
    pub appt_resource: Option<Appointment>,
}

/// `$book`: book a proposed or held appointment; on reschedule name the cancelled one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BookParams {
    pub appt_id: Option<String>,
    pub appt_resource: Option<Appointment>,
    /// The appointment that was cancelled to make room for this one (reschedule).
    pub cancelled_appt_id: Option<String>,
    /// `Patient/id` of each patient to book.
    pub patient_id: Vec<String>,
    pub comment: Option<String>,
}

fn appointment(p: &Parameter) -> Result<Appointment, ModelError> {
    match &p.resource {
        Some(Resource::Appointment(a)) => Ok(a.clone()),
        _ => Err(ModelError::param(
            &p.name,
            "expected resource (Appointment)",
        )),
    }
}

/// The operation body: a `Parameters` resource, or (allowed when the appointment resource is
/// the only input) the raw Appointment.
fn parameters_of(body: &Resource) -> Result<Parameters, ModelError> {
    match body {
        Resource::Parameters(p) => Ok(p.clone()),
        Resource::Appointment(a) => Ok(Parameters::new(vec![Parameter::resource(
            "appt-resource",
            a.clone().into(),
        )])),
        other => Err(ModelError::WrongResourceType {
            expected: "Parameters or Appointment".to_owned(),
            found: other.resource_type().to_owned(),
        }),
    }
}

/// Reads `appt-id` or `appt-resource`, the inputs `$hold` and `$book` share. `Ok(false)` when
/// `p` is neither.
fn read_appointment_input(
    p: &Parameter,
    appt_id: &mut Option<String>,
    appt_resource: &mut Option<Appointment>,
) -> Result<bool, ModelError> {
    match p.name.as_str() {
        "appt-id" => read::once(appt_id, "appt-id", read::uri(p)?)?,
        "appt-resource" => read::once(appt_resource, "appt-resource", appointment(p)?)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Writes `appt-id` and `appt-resource`.
fn appointment_inputs(
    appt_id: &Option<String>,
    appt_resource: &Option<Appointment>,
) -> Vec<Parameter> {
    let mut ps: Vec<Parameter> = appt_id
        .iter()
        .map(|id| Parameter::uri("appt-id", id))
        .collect();
    ps.extend(
        appt_resource
            .iter()
            .map(|a| Parameter::resource("appt-resource", a.clone().into())),
    );
    ps
}

impl HoldParams {
    /// Reads the body of a `$hold` request.
    pub fn from_body(body: &Resource) -> Result<Self, ModelError> {
        let mut out = Self::default();
        for p in &parameters_of(body)?.parameter {
            if !read_appointment_input(p, &mut out.appt_id, &mut out.appt_resource)? {
                return Err(ModelError::UnknownParameter(p.name.clone()));
            }
        }
        Ok(out)
    }

    /// The request body.
    pub fn to_parameters(&self) -> Parameters {
        Parameters::new(appointment_inputs(&self.appt_id, &self.appt_resource))
    }
}

impl BookParams {
    /// Reads the body of a `$book` request.
    pub fn from_body(body: &Resource) -> Result<Self, ModelError> {
        let mut out = Self::default();
        for p in &parameters_of(body)?.parameter {
            if read_appointment_input(p, &mut out.appt_id, &mut out.appt_resource)? {
                continue;
            }
            match p.name.as_str() {
                "cancelled-appt-id" => {
                    read::once(
                        &mut out.cancelled_appt_id,
                        "cancelled-appt-id",
                        read::uri(p)?,
                    )?;
                }
                "patient-id" => out.patient_id.push(read::uri(p)?),
                "comment" => read::once(&mut out.comment, "comment", read::string(p)?)?,
                other => return Err(ModelError::UnknownParameter(other.to_owned())),
            }
        }
        Ok(out)
    }

    /// The request body.
    pub fn to_parameters(&self) -> Parameters {
        let mut ps = appointment_inputs(&self.appt_id, &self.appt_resource);
        ps.extend(
            self.cancelled_appt_id
                .iter()
                .map(|id| Parameter::uri("cancelled-appt-id", id)),
        );
        ps.extend(
            self.patient_id
                .iter()
                .map(|id| Parameter::uri("patient-id", id)),
        );
        ps.extend(self.comment.iter().map(|c| Parameter::string("comment", c)));
        Parameters::new(ps)
    }
}
