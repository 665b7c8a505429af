//! The little XML this crate reads: STS's answers (`AssumeRoleResponse`,
//! `AssumeRoleWithWebIdentityResponse`, `ErrorResponse`), whose shape is fixed and flat. Not a
//! general parser: it finds an element by name and reads its text, with the five predefined
//! entities and character references decoded. Anything else (a `<` inside text, a reference it
//! does not know, an unclosed element) is "not found".

/// The inner markup of the first element called `name` in `xml` (its start tag may carry
/// attributes, as `<AssumeRoleResponse xmlns="...">` does), up to its matching end tag.
pub(crate) fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    loop {
        let at = from + xml.get(from..)?.find('<')?;
        let rest = xml.get(at + 1..)?;
        let after = rest.strip_prefix(name);
        from = at + 1;
        let Some(after) = after else { continue };
        // `<Name>`, `<Name attr="...">`, `<Name/>`: not `<NameOther>`.
        match after.chars().next() {
            Some('>') => {
                let body = after.get(1..)?;
                return body
                    .find(&format!("</{name}>"))
                    .and_then(|end| body.get(..end));
            }
            Some('/') if after.starts_with("/>") => return Some(""),
            Some(c) if c.is_ascii_whitespace() => {
                let close = after.find('>')?;
                if after.get(..close)?.ends_with('/') {
                    return Some("");
                }
                let body = after.get(close + 1..)?;
                return body
                    .find(&format!("</{name}>"))
                    .and_then(|end| body.get(..end));
            }
            _ => continue,
        }
    }
}

/// The text of the first element called `name`, entities decoded; `None` when it is missing
/// or holds markup.
pub(crate) fn text(xml: &str, name: &str) -> Option<String> {
    decode(element(xml, name)?)
}

/// Decodes `&amp; &lt; &gt; &quot; &apos; &#NN; &#xNN;`; `None` on markup or an unknown reference.
fn decode(raw: &str) -> Option<String> {
    if raw.contains('<') {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp)?);
        let tail = rest.get(amp + 1..)?;
        let semi = tail.find(';')?;
        let name = tail.get(..semi)?;
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse::<u32>().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = tail.get(semi + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{element, text};

    const ASSUMED: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>se&amp;cret&#x2F;&#47;</SecretAccessKey>
      <SessionToken>tok&lt;en&gt;</SessionToken>
      <Expiration>2024-01-02T04:04:05Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;

    #[test]
    fn reads_sts_answers() {
        let creds = element(ASSUMED, "Credentials").unwrap();
        assert_eq!(text(creds, "AccessKeyId").unwrap(), "ASIAEXAMPLE");
        assert_eq!(text(creds, "SecretAccessKey").unwrap(), "se&cret//");
        assert_eq!(text(creds, "SessionToken").unwrap(), "tok<en>");
        assert_eq!(text(creds, "Expiration").unwrap(), "2024-01-02T04:04:05Z");
        let response = element(ASSUMED, "AssumeRoleResponse").unwrap();
        assert!(response.contains("<Credentials>"));
        let error = r#"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>
            <Message>not &quot;allowed&quot;</Message></Error></ErrorResponse>"#;
        let e = element(error, "Error").unwrap();
        assert_eq!(text(e, "Code").unwrap(), "AccessDenied");
        assert_eq!(text(e, "Message").unwrap(), "not \"allowed\"");
        assert_eq!(text("<A/><B>x</B>", "A").unwrap(), "");
    }

    #[test]
    fn refuses_what_it_does_not_read() {
        assert_eq!(text("<AccessKeyIdX>a</AccessKeyIdX>", "AccessKeyId"), None);
        assert_eq!(text("<A>x", "A"), None);
        assert_eq!(text("<A><b/></A>", "A"), None);
        assert_eq!(text("<A>&bogus;</A>", "A"), None);
        assert_eq!(text("<A>&#xD800;</A>", "A"), None);
        assert_eq!(text("<A>&amp</A>", "A"), None);
        assert_eq!(text("", "A"), None);
        assert_eq!(text("<", "A"), None);
    }
}
