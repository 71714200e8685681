-- A completed response is final. The respondent's state, the last link to it, is deleted in the
-- turn that completes it (DESIGN.md, privacy model), and the analysis keeps the completed
-- responses it has read (src/analysis/completedResponses.ts). The database refuses any change to
-- one, from any writer; withdrawal, which deletes the response, stays possible.

CREATE FUNCTION "completed_response_final"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'completed' THEN
    RAISE EXCEPTION 'a completed response is final' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Response_completed_final" BEFORE UPDATE ON "Response"
FOR EACH ROW EXECUTE FUNCTION "completed_response_final"();

CREATE FUNCTION "completed_response_answers_final"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  response TEXT;
BEGIN
  IF TG_OP = 'INSERT' THEN response := NEW."responseId"; ELSE response := OLD."responseId"; END IF;
  IF EXISTS (SELECT 1 FROM "Response" WHERE "id" = response AND "status" = 'completed') THEN
    RAISE EXCEPTION 'a completed response is final' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Answer_completed_final" BEFORE INSERT OR UPDATE OR DELETE ON "Answer"
FOR EACH ROW EXECUTE FUNCTION "completed_response_answers_final"();
